// prove/table.hpp — `agree prove table`: OM(T) and SM(T) for every N and T in
// a grid, each cell proved or refuted by Z3 and compared with the theorem of
// Lamport, Shostak and Pease (1982):
//   OM(T) satisfies IC1 and IC2 with N generals and T traitors iff N > 3T;
//   SM(T) satisfies them for every N.
// One precision the theorem leaves implicit: with at most one loyal general
// (N - T <= 1) there is nobody to disagree and no loyal lieutenant to
// disobey, so both properties hold vacuously whatever N and T are; those
// cells (N=2 T=1, N=3 T=2, ...) are expected to hold and marked "vacuous".
#pragma once

#include <string>
#include <vector>

#include "agree/prove/smt.hpp"

namespace agree::prove::table {

struct Cell {
  std::string protocol;  // "om" or "sm"
  int generals = 0, traitors = 0, rounds = 0;
  Answer answer = Answer::Unknown;  // of the query "a run breaking IC1 or IC2"
  bool expected_holds = true;
  bool vacuous = false;             // N - T <= 1
  double seconds = 0;
  [[nodiscard]] bool holds() const { return answer == Answer::Unsat; }
  [[nodiscard]] bool agrees() const { return answer != Answer::Unknown && holds() == expected_holds; }
};

// OM(T) holds for N generals and T traitors: N > 3T, or at most one loyal general.
bool om_expected(int generals, int traitors);

struct Table {
  std::vector<Cell> cells;  // om then sm; by traitors, then generals
  double seconds = 0;
  int disagreements = 0;
  int unknowns = 0;
};

// Cells: T in 0..max_traitors, N in 2..max_generals with T < N; rounds = T.
// per_cell.smt2_path is ignored.
Table run(int max_generals, int max_traitors, SolveOptions per_cell);

}  // namespace agree::prove::table
