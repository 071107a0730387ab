# wfsim sweep: grid and Latin hypercube designs, variant = plain run, checkpoint and --resume.
add_test(NAME cli_sweep
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/test_sweep.py $<TARGET_FILE:wfsim> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_sweep PROPERTIES LABELS cli)
