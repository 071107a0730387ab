# wfsim compare: CSV/JSON/table output, the -o file, paired vs unpaired CIs (tools/EXPERIMENTS.md).
add_test(NAME cli_compare
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/test_compare.py $<TARGET_FILE:wfsim> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_compare PROPERTIES LABELS cli)
