// cli/builtins.cpp — agree's own protocols on the command line, and the
// suite's table of their expected verdicts: the first users of
// agree::cli::add_protocol.
#include "agree/cli/cli.hpp"
#include "agree/model/abp.hpp"
#include "agree/model/floodset.hpp"
#include "agree/model/isis.hpp"
#include "agree/model/om.hpp"
#include "agree/model/sequencer.hpp"
#include "agree/model/sm.hpp"
#include "agree/model/tokenring.hpp"
#include "agree/model/twophase.hpp"
#include "agree/model/vote.hpp"

// Each protocol's command line is instantiated in cli/builtins/NAME.cpp: nine
// translation units of 30-40 s each at -O3 (g++ 12) that build in parallel,
// where this one file took them all in turn.
extern template void agree::cli::add_protocol<agree::model::sequencer::Sequencer>();
extern template void agree::cli::add_protocol<agree::model::isis::Isis>();
extern template void agree::cli::add_protocol<agree::model::om::Om>();
extern template void agree::cli::add_protocol<agree::model::sm::Sm>();
extern template void agree::cli::add_protocol<agree::model::vote::VoteProtocol>();
extern template void agree::cli::add_protocol<agree::model::floodset::FloodSet>();
extern template void agree::cli::add_protocol<agree::model::twophase::TwoPhase>();
extern template void agree::cli::add_protocol<agree::model::tokenring::TokenRing>();
extern template void agree::cli::add_protocol<agree::model::abp::Abp>();

namespace agree::cli {

namespace {

const std::vector<SuiteRow> kBuiltinRows = {
      // ---- sequencer
      {"sequencer", "procs=2 msgs=2", "holds", "", 74, "tickets give one order (walkthrough sequencer)"},
      {"sequencer", "procs=2 msgs=2 variant=no-holdback", "violated", "total-order", 0,
       "without the hold-back queue two members deliver in receipt order (walkthrough sequencer)"},
      {"sequencer", "procs=3 msgs=3", "holds", "", 5'462, "count cross-checked with SPIN"},
      {"sequencer", "procs=3 msgs=2 variant=no-holdback", "violated", "total-order", 0,
       "delivering on receipt breaks the order"},
      {"sequencer", "procs=2 msgs=2 crash=1", "violated", "termination", 0,
       "a crashed sequencer blocks every member"},
      {"sequencer", "procs=3 msgs=2 senders=2", "holds", "", 202, "an open group counts as the closed one (crash 0)"},
      // ---- isis
      {"isis", "procs=3 msgs=2", "holds", "", 5'780, "count cross-checked with SPIN"},
      {"isis", "procs=2 msgs=3", "holds", "", 35'288, "count cross-checked with SPIN"},
      {"isis", "procs=3 msgs=2 variant=no-tiebreak", "violated", "total-order", 0,
       "equal numbers without the process id order differently"},
      {"isis", "procs=3 msgs=2 variant=eager-delivery", "violated", "total-order", 0,
       "delivering on Agreed skips earlier messages"},
      {"isis", "procs=3 msgs=2 crash=1", "violated", "termination", 0,
       "the sender waits forever for a crashed process's proposal"},
      {"isis", "procs=2 msgs=2 senders=2", "holds", "", 436, "the notes' open group: P1, P2 multicast into {P3, P4} (walkthrough isis)"},
      {"isis", "procs=2 msgs=2 senders=2 variant=no-tiebreak", "violated", "total-order", 0,
       "the open group's two agreed numbers tie (walkthrough isis)"},
      {"isis", "procs=1 msgs=2 senders=1 crash=1", "holds", "", 102, "one member: its crash leaves nobody waiting"},
      // ---- vote
      {"vote", "procs=3", "holds", "", 5'832, "crash 0: 2^N (1 + 2^N)^N states; P3's abort is outvoted (walkthrough vote)"},
      {"vote", "procs=3 rule=unanimous", "holds", "", 5'832, "crash 0: unanimity on all N votes agrees"},
      {"vote", "procs=3 rule=majority crash=1", "violated", "agreement", 0,
       "quorums of N - F votes differ: one proceeds, one ties and aborts (walkthrough vote)"},
      {"vote", "procs=3 rule=majority crash=1 quorum=all", "violated", "termination", 0,
       "waiting for every vote: one crash and nobody decides (walkthrough vote)"},
      {"vote", "procs=3 rule=majority quorum=all", "holds", "", 5'832, "crash 0: quorum all is quorum n-f"},
      {"vote", "procs=3 rule=unanimous crash=1", "violated", "agreement", 0,
       "a quorum that missed the abort vote proceeds"},
      // ---- floodset
      {"floodset", "procs=4 crash=2", "holds", "", 597, "F + 1 rounds: some round is crash-free"},
      {"floodset", "procs=5 crash=2", "holds", "", 1'421, "F + 1 rounds: some round is crash-free"},
      {"floodset", "procs=3 crash=2 rounds=2", "holds", "", 164, "N = F + 1: F rounds suffice, at most one survives F crashes"},
      {"floodset", "procs=4 crash=2 rounds=2", "violated", "agreement", 0,
       "F rounds: a chain of partial sends reaches one survivor only"},
      {"floodset", "procs=3 crash=1 rounds=1", "violated", "agreement", 0,
       "F rounds: the crashing process reaches one survivor only"},
      {"floodset", "procs=2 crash=0 rounds=0", "violated", "termination", 0, "no round: nobody decides"},
      // ---- twophase
      {"twophase", "rms=3", "holds", "", 288, "TwoPhase.tla's published count"},
      {"twophase", "rms=5", "holds", "", 8'832, "TwoPhase.tla's published count"},
      {"twophase", "rms=6", "holds", "", 50'816, "TwoPhase.tla's published count"},
      {"twophase", "rms=3 variant=eager-commit", "violated", "consistency", 0,
       "committing on one Prepared lets another RM abort"},
      // ---- om
      {"om", "generals=3 traitors=1", "violated", "IC2", 0, "three generals cannot beat one traitor (walkthrough generals)"},
      {"om", "generals=4 traitors=1", "holds", "", 0, "N > 3T: OM(1) with four generals, all 32 strategies (walkthrough generals)"},
      {"om", "generals=4 traitors=2", "violated", "IC1", 0, "OM(2) needs seven generals against two traitors"},
      {"om", "generals=7 traitors=1", "holds", "", 0, "OM(1) with seven generals"},
      // ---- sm
      {"sm", "generals=3 traitors=1", "holds", "", 0, "signed messages: three generals beat one traitor (walkthrough generals)"},
      {"sm", "generals=4 traitors=2", "holds", "", 0, "SM(2) holds for any number of generals"},
      {"sm", "generals=4 traitors=2 rounds=1", "violated", "IC1", 0, "more traitors than rounds"},
      {"sm", "generals=3 traitors=1 rounds=0", "violated", "IC1", 0, "SM(0): a traitor commander splits the lieutenants"},
      // ---- tokenring (its question is liveness: agree check tokenring --liveness)
      {"tokenring", "procs=3", "holds", "", 9, "3N states: the holder, and idle, critical or used"},
      {"tokenring", "procs=8", "holds", "", 24, "3N states, counted by tests/independent/cyclic.py too"},
      {"tokenring", "procs=3 variant=greedy", "holds", "", 6,
       "2N states; mutual exclusion holds, token-reaches-all fails under weak fairness (--liveness)"},
      // ---- abp (its question is liveness: agree check abp --liveness [--fairness weak])
      {"abp", "msgs=2", "holds", "", 18, "9M states, counted by tests/independent/cyclic.py"},
      {"abp", "msgs=3", "holds", "", 27, "9M states, counted by tests/independent/cyclic.py"},
      {"abp", "msgs=2 variant=no-bit", "violated", "in-order", 0, "without the bit a duplicate d0 is delivered as d1"},
      // ---- more protocols: add their rows here
};

}  // namespace

void add_builtin_protocols() {
  if (find_protocol("sequencer")) return;
  add_protocol<model::sequencer::Sequencer>();
  add_protocol<model::isis::Isis>();
  add_protocol<model::om::Om>();
  add_protocol<model::sm::Sm>();
  add_protocol<model::vote::VoteProtocol>();
  add_protocol<model::floodset::FloodSet>();
  add_protocol<model::twophase::TwoPhase>();
  add_protocol<model::tokenring::TokenRing>();
  add_protocol<model::abp::Abp>();
  for (const auto& row : kBuiltinRows) add_suite_row(row);
}

}  // namespace agree::cli
