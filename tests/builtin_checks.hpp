// tests/builtin_checks.hpp — included into every test file (tests/CMakeLists.txt:
// the precompiled header, first): agree::check and checker::check of the built-in protocols are
// instantiated once, in cli/builtins/NAME.cpp (agree_cli, which the tests
// link), not again in each of the ~45 test files that call them. One such
// instantiation costs ~30 s at -O3 (g++ 12).
#pragma once

#include "agree/agree.hpp"
#include "agree/model/abp.hpp"
#include "agree/model/floodset.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/om.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/sm.hpp"
#include "agree/model/tokenring.hpp"
#include "agree/model/twophase.hpp"
#include "agree/model/vote.hpp"

#define AGREE_EXTERN_CHECKS(M)                                                  \
  extern template agree::Result agree::check<M>(const M&, const agree::Options&); \
  extern template agree::Report agree::checker::check<M>(const M&, const agree::Options&);
AGREE_EXTERN_CHECKS(agree::model::sequencer::Sequencer)
AGREE_EXTERN_CHECKS(agree::model::isis::Isis)
AGREE_EXTERN_CHECKS(agree::model::om::Om)
AGREE_EXTERN_CHECKS(agree::model::sm::Sm)
AGREE_EXTERN_CHECKS(agree::model::vote::VoteProtocol)
AGREE_EXTERN_CHECKS(agree::model::floodset::FloodSet)
AGREE_EXTERN_CHECKS(agree::model::twophase::TwoPhase)
AGREE_EXTERN_CHECKS(agree::model::tokenring::TokenRing)
AGREE_EXTERN_CHECKS(agree::model::abp::Abp)
#undef AGREE_EXTERN_CHECKS
