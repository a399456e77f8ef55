/*
 * paxos.pml -- single-decree Paxos (Lamport's Paxos.tla, bounded ballots),
 * exactly as examples/paxos/SEMANTICS.md (agree's contract for
 * examples/paxos), for a side-by-side state count and timing with SPIN
 * (bench/paxos.sh, bench/paxos_spin.md).
 *
 * PARAMETERS (spin -DNAME=value):
 *   A       acceptors a0..a(A-1), 1..5                          default 3
 *   B       ballots 0..B-1, 1..4                                default 4
 *   V       values v0..v(V-1), 1..3                             default 2
 *   FORGET  0 = variant correct; 1 = variant forget-promise
 *           (accept drops b >= maxBal[a]; breaks agreement, so count
 *           its states with pan -A)                             default 0
 *
 * STATE (SEMANTICS.md's, field by field):
 *   bal1[a], vbal1[a], val1[a]   maxBal[a]+1, maxVBal[a]+1, maxVal[a]+1
 *                                (0 = -1 / none), initially 0
 *   msgs, one bit per possible message, bit set = message in the set (so
 *   equal sets are equal bit patterns):
 *     m1a        bit b                       1a(b)
 *     m1b[a]     bit OFF(b) + k              1b(a, b, mbal, mval), where
 *                k = 0 for (mbal, mval) = (-1, none) and
 *                k = 1 + mbal*V + mval for mbal >= 0. Only these exist:
 *                mbal < b (a promise needs b > maxBal >= maxVBal) and
 *                mbal = -1 iff mval = none, in both variants. Ballot b has
 *                1 + b*V bits starting at OFF(b) = b + V*b*(b-1)/2.
 *     m2a        bit b*V + v                 2a(b, v)
 *     m2b[a]     bit b*V + v                 2b(a, b, v)
 *   pok          bit b*V + v: the quorum part of propose(b, v)'s guard
 *                (computed from the 1b messages of ballot b alone). It is a
 *                function of msgs, recomputed by the only step that changes
 *                those messages (promise), so it adds no state: the stored
 *                vectors are in one-to-one correspondence with the contract
 *                states. It saves pan re-evaluating the quorum condition in
 *                every state.
 *   Scratch variables (s_*) are `hidden` (not in the state vector), and every
 *   d_step sets them before reading them.
 *
 * ACTIONS: one `d_step` per action instance (prepare(b), promise(a, b),
 *   propose(b, v), accept(a, b, v), generated below by the preprocessor for
 *   the given A, B, V), each an option of the single process's do-loop, whose
 *   head is the only control point of every stored state. So one SPIN
 *   transition is one agree transition, and with `spin -o2 -a` and
 *   `-DNOREDUCE` pan's "states, stored" is agree's distinct-state count;
 *   pan's "transitions" is the number of edges + 1 (pan counts the initial
 *   state as one). The loop head carries an `end` label: a terminal state
 *   (no action enabled) is a valid end state and adds nothing to the count.
 *
 *   prepare(b)      1a(b) not in msgs                   -> add 1a(b)
 *   promise(a, b)   1a(b) in msgs, b > maxBal[a]        -> add 1b(a, b,
 *                   maxVBal[a], maxVal[a]); maxBal[a] := b; recompute pok
 *                   for ballot b
 *   propose(b, v)   no 2a(b, *) in msgs, and bit b*V+v of pok -> add 2a(b, v)
 *   accept(a, b, v) 2a(b, v) in msgs, b >= maxBal[a] (not with FORGET), and
 *                   2b(a, b, v) not in msgs or the acceptor is not already
 *                   (b, b, v)  -> acceptor := (b, b, v); add 2b(a, b, v)
 *
 *   The quorum part of propose(b, v) (SEMANTICS.md: some quorum Q all sent
 *   1b(., b, ...), and among those messages from Q with mbal >= 0 there is
 *   none, or one with the highest mbal has mval = v) is computed as: some
 *   t in -1..b-1 such that R_t = { acceptors with at least one 1b for b and
 *   every such 1b with mbal <= t } has more than A/2 members, and t = -1 or
 *   some acceptor in R_t sent 1b(., b, t, v). (If Q works, with t the
 *   highest mbal in it, Q is a subset of R_t; if R_t works, Q = R_t does.)
 *
 * PROPERTIES (asserted after every accept, the only step that adds a 2b):
 *   agreement   at most one value chosen (some ballot's 2b(., b, v) from a
 *               quorum)
 *   validity    every chosen value was proposed (some 2a(b, v) in msgs)
 *   (`chosen`, a "sometimes" property in agree, is not modelled.)
 */

#ifndef A
#define A 3
#endif
#ifndef B
#define B 4
#endif
#ifndef V
#define V 2
#endif
#ifndef FORGET
#define FORGET 0
#endif

#if A < 1 || A > 5 || B < 1 || B > 4 || V < 1 || V > 3
#error "paxos.pml: need 1 <= A <= 5, 1 <= B <= 4, 1 <= V <= 3"
#endif

#define QUORUM   (A / 2 + 1)
#define VMASK    ((1 << V) - 1)
#define OFF(b)   ((b) + V * (b) * ((b) - 1) / 2)   /* first 1b bit of ballot b */
#define GMASK(b) ((1 << (1 + (b) * V)) - 1)       /* the 1 + b*V bits of ballot b */
#define N1B      (B + V * B * (B - 1) / 2)         /* 1b bits per acceptor */

/* ------------------------------------------------------------ state */
byte bal1[A];    /* maxBal + 1 */
byte vbal1[A];   /* maxVBal + 1 */
byte val1[A];    /* maxVal + 1 */
byte m1a;        /* B <= 4 bits */
#if N1B <= 8
byte m1b[A];
#elif N1B <= 15
short m1b[A];
#else
int m1b[A];      /* at most 22 bits (B = 4, V = 3) */
#endif
#if B * V <= 8
byte m2a;
byte m2b[A];
byte pok;
#else
short m2a;       /* at most 12 bits */
short m2b[A];
short pok;
#endif

/* ------------------------------------------------------------ scratch */
hidden byte s_i, s_t, s_qn, s_j, s_k;
hidden int s_g;
hidden byte s_ok, s_wit, s_chosen, s_proposed;

#define HAS1A(b)      ((m1a >> (b)) & 1)
#define HAS2A(b, v)   ((m2a >> ((b) * V + (v))) & 1)
#define ANY2A(b)      ((m2a >> ((b) * V)) & VMASK)
#define HAS2B(a, b, v) ((m2b[a] >> ((b) * V + (v))) & 1)
#define POK(b, v)     ((pok >> ((b) * V + (v))) & 1)

/* pok's bits for ballot b, from the 1b messages of ballot b */
inline recompute_pok(b) {
  s_ok = 0;
  s_t = 0;                            /* t = threshold + 1, threshold in -1..b-1 */
  do
  :: s_t <= b ->
       s_qn = 0;
       s_wit = 0;
       s_i = 0;
       do
       :: s_i < A ->
            s_g = (m1b[s_i] >> OFF(b)) & GMASK(b);
            if
            :: s_g != 0 && (s_g >> (1 + s_t * V)) == 0 ->   /* a0+s_i is in R_(s_t - 1) */
                 s_qn++;
                 if
                 :: s_t > 0 -> s_wit = s_wit | ((s_g >> (1 + (s_t - 1) * V)) & VMASK)
                 :: else -> skip
                 fi
            :: else -> skip
            fi;
            s_i++
       :: else -> break
       od;
       if
       :: s_qn >= QUORUM && s_t == 0 -> s_ok = VMASK
       :: s_qn >= QUORUM && s_t > 0 -> s_ok = s_ok | s_wit
       :: else -> skip
       fi;
       s_t++
  :: else -> break
  od;
  pok = (pok & ~(VMASK << ((b) * V))) | (s_ok << ((b) * V))
}

/* agreement and validity, over the whole message set */
inline check_props() {
  s_chosen = 0;
  s_proposed = 0;
  s_j = 0;
  do
  :: s_j < B ->
       s_proposed = s_proposed | ((m2a >> (s_j * V)) & VMASK);
       s_k = 0;
       do
       :: s_k < V ->
            s_qn = 0;
            s_i = 0;
            do
            :: s_i < A -> s_qn = s_qn + ((m2b[s_i] >> (s_j * V + s_k)) & 1); s_i++
            :: else -> break
            od;
            if
            :: s_qn >= QUORUM -> s_chosen = s_chosen | (1 << s_k)
            :: else -> skip
            fi;
            s_k++
       :: else -> break
       od;
       s_j++
  :: else -> break
  od;
  assert((s_chosen & (s_chosen - 1)) == 0);   /* agreement */
  assert((s_chosen & ~s_proposed) == 0)       /* validity */
}

/* ------------------------------------------------------------ actions */
#define PREPARE(b) \
  :: d_step { !HAS1A(b) -> m1a = m1a | (1 << (b)) }

#if FORGET
#define ACC_BAL_OK(a, b) true
#else
#define ACC_BAL_OK(a, b) ((b) + 1 >= bal1[a])
#endif

#define PROMISE(a, b) \
  :: d_step { (HAS1A(b) && (b) + 1 > bal1[a]) -> \
       if \
       :: vbal1[a] == 0 -> m1b[a] = m1b[a] | (1 << OFF(b)) \
       :: else -> m1b[a] = m1b[a] | (1 << (OFF(b) + 1 + (vbal1[a] - 1) * V + val1[a] - 1)) \
       fi; \
       bal1[a] = (b) + 1; \
       recompute_pok(b) }

#define PROPOSE(b, v) \
  :: d_step { (ANY2A(b) == 0 && POK(b, v)) -> m2a = m2a | (1 << ((b) * V + (v))) }

#define ACCEPT(a, b, v) \
  :: d_step { (HAS2A(b, v) && ACC_BAL_OK(a, b) && \
               (!HAS2B(a, b, v) || bal1[a] != (b) + 1 || vbal1[a] != (b) + 1 || val1[a] != (v) + 1)) -> \
       bal1[a] = (b) + 1; vbal1[a] = (b) + 1; val1[a] = (v) + 1; \
       m2b[a] = m2b[a] | (1 << ((b) * V + (v))); \
       check_props() }

/* Repetition over 0..A-1, 0..B-1, 0..V-1. One macro per dimension and
   arity, so that no macro is expanded inside its own expansion. */
#if A == 1
#define REP_A1(M) M(0)
#elif A == 2
#define REP_A1(M) M(0) M(1)
#elif A == 3
#define REP_A1(M) M(0) M(1) M(2)
#elif A == 4
#define REP_A1(M) M(0) M(1) M(2) M(3)
#else
#define REP_A1(M) M(0) M(1) M(2) M(3) M(4)
#endif

#if B == 1
#define REP_B1(M) M(0)
#define REP_B2(M, x) M(x, 0)
#elif B == 2
#define REP_B1(M) M(0) M(1)
#define REP_B2(M, x) M(x, 0) M(x, 1)
#elif B == 3
#define REP_B1(M) M(0) M(1) M(2)
#define REP_B2(M, x) M(x, 0) M(x, 1) M(x, 2)
#else
#define REP_B1(M) M(0) M(1) M(2) M(3)
#define REP_B2(M, x) M(x, 0) M(x, 1) M(x, 2) M(x, 3)
#endif

#if V == 1
#define REP_V2(M, x) M(x, 0)
#define REP_V3(M, x, y) M(x, y, 0)
#elif V == 2
#define REP_V2(M, x) M(x, 0) M(x, 1)
#define REP_V3(M, x, y) M(x, y, 0) M(x, y, 1)
#else
#define REP_V2(M, x) M(x, 0) M(x, 1) M(x, 2)
#define REP_V3(M, x, y) M(x, y, 0) M(x, y, 1) M(x, y, 2)
#endif

#define PROMISES_OF(a)   REP_B2(PROMISE, a)
#define PROPOSES_OF(b)   REP_V2(PROPOSE, b)
#define ACCEPT_AB(a, b)  REP_V3(ACCEPT, a, b)
#define ACCEPTS_OF(a)    REP_B2(ACCEPT_AB, a)

/* ------------------------------------------------------------ process */
active proctype paxos()
{
end:
  do
  REP_B1(PREPARE)
  REP_A1(PROMISES_OF)
  REP_B1(PROPOSES_OF)
  REP_A1(ACCEPTS_OF)
  od
}
