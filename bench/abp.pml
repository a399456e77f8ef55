/*
 * abp.pml -- the alternating-bit protocol over lossy one-slot channels, as
 * in the header comment of model/abp.hpp (agree's contract), for a
 * side-by-side liveness comparison with SPIN (bench/abp_spin.md).
 *
 * PARAMETERS (spin -DNAME=value):
 *   M      messages d0..d(M-1), 1..100                           default 2
 *   NOBIT  0 = correct protocol; 1 = variant no-bit (the receiver
 *          delivers whatever the bit; breaks in-order)            default 0
 *   SF     0 = plain model (9M states); 1 = add `last`, the action
 *          of the step into this state, and the LTL property
 *          sf_delivery (strong fairness written into the formula)  default 0
 *
 * STATE (agree's fields): acked 0..M; data = -1 (empty) or the index i of
 *   d(i) (its bit is i mod 2); ack = -1 (empty) or a bit; delivered 0..M;
 *   in_order (history). Initially acked = 0, both channels empty,
 *   delivered = 0, in_order. One process sits at its loop head in every
 *   stored state and every action is one d_step, so with
 *   `spin -o2 -a` + `-DNOREDUCE` "states stored" (safety run) is the number
 *   of distinct contract states: 9M for the correct protocol.
 *
 * ACTIONS (one d_step each, in agree's order):
 *   Send        acked < M, data empty  -> data := acked
 *   LoseData    data full              -> data := empty
 *   Receive     data full, ack empty   -> ack := data mod 2; if the bit is
 *               delivered mod 2 (NOBIT: any bit) and delivered < M:
 *               in_order := in_order && data = delivered; delivered++;
 *               data := empty
 *   LoseAck     ack full               -> ack := empty
 *   ReceiveAck  ack full               -> if ack = acked mod 2 and acked < M:
 *               acked++; ack := empty
 * A state with acked = M and both channels empty is terminal: the process
 * waits there at its loop head, which carries an end label, so pan treats
 * it as a valid end state (no invalid-end-state error, and no extra
 * "process ended" state in the count).
 *
 * PROPERTIES
 *   in-order  assert(in_order) after every delivery (the only step that
 *             can falsify it)
 *   delivery  ltl delivery { <> (delivered == M) }
 *   sf_delivery (SF=1) delivery under strong fairness of Receive and
 *             ReceiveAck, written into the formula: for A in those two,
 *             ([]<> enabled(A)) -> ([]<> last == A); pan -a -N sf_delivery.
 */

#ifndef M
#define M 2
#endif
#ifndef NOBIT
#define NOBIT 0
#endif
#ifndef SF
#define SF 0
#endif

#define EMPTY (-1)

short data = EMPTY;
short ack = EMPTY;
byte acked = 0;
byte delivered = 0;
bool in_order = true;

#if SF
#define A_SEND 1
#define A_LOSEDATA 2
#define A_RECEIVE 3
#define A_LOSEACK 4
#define A_RECEIVEACK 5
byte last = 0;
#define DID(a) last = a
#else
#define DID(a) skip
#endif

#if NOBIT
#define BIT_OK (true)
#else
#define BIT_OK ((data % 2) == (delivered % 2))
#endif

/* enabledness of each action, for the fairness premises */
#define en_send       (acked < M && data == EMPTY)
#define en_losedata   (data != EMPTY)
#define en_receive    (data != EMPTY && ack == EMPTY)
#define en_loseack    (ack != EMPTY)
#define en_receiveack (ack != EMPTY)

active proctype abp()
{
end:
  do
  :: d_step { en_send -> data = acked; DID(A_SEND) }
  :: d_step { en_losedata -> data = EMPTY; DID(A_LOSEDATA) }
  :: d_step { en_receive ->
       ack = data % 2;
       if
       :: (BIT_OK && delivered < M) ->
            in_order = (in_order && data == delivered);
            delivered++;
            assert(in_order)
       :: else -> skip
       fi;
       data = EMPTY;
       DID(A_RECEIVE) }
  :: d_step { en_loseack -> ack = EMPTY; DID(A_LOSEACK) }
  :: d_step { en_receiveack ->
       if
       :: (ack == acked % 2 && acked < M) -> acked++
       :: else -> skip
       fi;
       ack = EMPTY;
       DID(A_RECEIVEACK) }
  od
}

ltl delivery { <> (delivered == M) }

#if SF
/* Strong fairness of Receive and ReceiveAck, written into the formula.
 * Those two suffice for delivery (see abp_spin.md); agree's `strong` makes
 * all five actions strongly fair, a stronger premise, so "holds" carries
 * over. SPIN's LTL translator did not finish a premise of three such
 * conjuncts in 20 s (five: none in 10 min), so two is what fits. */
#define SFAIR(en, a) (([]<> (en)) -> ([]<> (last == a)))
ltl sf_delivery {
  (SFAIR(en_receive, A_RECEIVE) && SFAIR(en_receiveack, A_RECEIVEACK))
  -> <> (delivered == M)
}
#endif
