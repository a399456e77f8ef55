// cli/builtins/sequencer.cpp — the command line's code for sequencer, instantiated here
// alone (cli/builtins.cpp declares it extern): one protocol per translation
// unit, so that the nine compile side by side. The checks themselves are
// instantiated here too, for agree's own tests (tests/builtin_checks.hpp
// declares them extern there: each instantiation costs ~30 s at -O3).
#include "agree/agree.hpp"
#include "agree/cli/cli.hpp"
#include "agree/model/sequencer.hpp"

template void agree::cli::add_protocol<agree::model::sequencer::Sequencer>();
template agree::Result agree::check<agree::model::sequencer::Sequencer>(const agree::model::sequencer::Sequencer&, const agree::Options&);
template agree::Report agree::checker::check<agree::model::sequencer::Sequencer>(const agree::model::sequencer::Sequencer&, const agree::Options&);
