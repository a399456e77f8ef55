// cli/builtins/vote.cpp — the command line's code for vote, instantiated here
// alone (cli/builtins.cpp declares it extern): one protocol per translation
// unit, so that the nine compile side by side. The checks themselves are
// instantiated here too, for agree's own tests (tests/builtin_checks.hpp
// declares them extern there: each instantiation costs ~30 s at -O3).
#include "agree/agree.hpp"
#include "agree/cli/cli.hpp"
#include "agree/model/vote.hpp"

template void agree::cli::add_protocol<agree::model::vote::VoteProtocol>();
template agree::Result agree::check<agree::model::vote::VoteProtocol>(const agree::model::vote::VoteProtocol&, const agree::Options&);
template agree::Report agree::checker::check<agree::model::vote::VoteProtocol>(const agree::model::vote::VoteProtocol&, const agree::Options&);
