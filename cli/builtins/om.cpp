// cli/builtins/om.cpp — the command line's code for om, instantiated here
// alone (cli/builtins.cpp declares it extern): one protocol per translation
// unit, so that the nine compile side by side. The checks themselves are
// instantiated here too, for agree's own tests (tests/builtin_checks.hpp
// declares them extern there: each instantiation costs ~30 s at -O3).
#include "agree/agree.hpp"
#include "agree/cli/cli.hpp"
#include "agree/model/om.hpp"

template void agree::cli::add_protocol<agree::model::om::Om>();
template agree::Result agree::check<agree::model::om::Om>(const agree::model::om::Om&, const agree::Options&);
template agree::Report agree::checker::check<agree::model::om::Om>(const agree::model::om::Om&, const agree::Options&);
