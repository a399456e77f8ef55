# compare_counts.cmake — `paxos check --reduce none --json` against
# paxos_count.py (written independently from SEMANTICS.md) on a few
# configurations, both run now: distinct states and the agreement verdict.
foreach(config "2 2 2 correct" "3 2 2 correct" "2 2 2 forget-promise" "1 3 2 forget-promise")
  separate_arguments(c UNIX_COMMAND "${config}")
  list(GET c 0 a)
  list(GET c 1 b)
  list(GET c 2 v)
  list(GET c 3 variant)
  execute_process(COMMAND ${PYTHON} ${COUNTER} --acceptors ${a} --ballots ${b} --values ${v} --variant ${variant}
                  OUTPUT_VARIABLE py RESULT_VARIABLE py_rc)
  execute_process(COMMAND ${PAXOS} check paxos --acceptors ${a} --ballots ${b} --values ${v} --variant ${variant}
                          --reduce none --keep-going --json --trace-dir ${CMAKE_CURRENT_BINARY_DIR}/traces
                  OUTPUT_VARIABLE cc RESULT_VARIABLE cc_rc)
  if(NOT py_rc EQUAL 0)
    message(FATAL_ERROR "paxos_count.py failed on ${config}")
  endif()
  string(JSON py_states GET "${py}" distinct_states)
  string(JSON py_bad GET "${py}" agreement_violated)
  string(JSON cc_states GET "${cc}" distinct_states)
  string(JSON cc_verdict GET "${cc}" verdict)
  if(NOT py_states EQUAL cc_states)
    message(FATAL_ERROR "${config}: agree counts ${cc_states} states, paxos_count.py ${py_states}")
  endif()
  if((py_bad AND NOT cc_verdict STREQUAL "violated") OR (NOT py_bad AND NOT cc_verdict STREQUAL "holds"))
    message(FATAL_ERROR "${config}: agree says ${cc_verdict}, paxos_count.py agreement_violated=${py_bad}")
  endif()
  message(STATUS "${config}: ${cc_states} states, ${cc_verdict}: as paxos_count.py")
endforeach()
