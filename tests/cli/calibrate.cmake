# wfsim calibrate (tools/cmd_calibrate.cpp): included from tests/cli/CMakeLists.txt.
if(NOT WFSIM_PYTHON)
  set(WFSIM_PYTHON /usr/bin/python3)
endif()
add_test(NAME cli_calibrate
         COMMAND ${WFSIM_PYTHON} ${PROJECT_SOURCE_DIR}/tests/calibration/test_calibrate_cli.py $<TARGET_FILE:wfsim>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_calibrate PROPERTIES LABELS "cli;calibration" TIMEOUT 300)
