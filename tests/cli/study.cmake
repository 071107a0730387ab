# wfsim replicate-study (tools/cmd_study.cpp): included from tests/cli/CMakeLists.txt.
if(NOT WFSIM_PYTHON)
  set(WFSIM_PYTHON /usr/bin/python3)
endif()
add_test(NAME cli_replicate_study
         COMMAND ${WFSIM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/test_replicate_study.py $<TARGET_FILE:wfsim>)
set_tests_properties(cli_replicate_study PROPERTIES LABELS cli TIMEOUT 600)
