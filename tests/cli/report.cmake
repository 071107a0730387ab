# wfsim report: the self-contained HTML page, rendered in headless Chromium (charts drawn, no
# JS error, headline numbers equal to the comparison file's), escaping of file text, and input
# errors. Chromium comes from tools/install-deps.sh with WFSIM_WITH_BROWSER=1 (tools/test.sh);
# without it the test fails (set WFSIM_ALLOW_NO_BROWSER=1 to skip the browser part locally).
add_test(NAME cli_report
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/test_report.py $<TARGET_FILE:wfsim> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_report PROPERTIES LABELS cli TIMEOUT 900)
