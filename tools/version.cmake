# Writes OUT from IN with the current git commit (or "unknown"), only when the text changes, so
# `wfsim --version` names the commit the program was built from without rebuilding every time.
set(WFSIM_GIT_COMMIT "unknown")
if(GIT)
  execute_process(COMMAND ${GIT} rev-parse --short=12 HEAD WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0)
    set(WFSIM_GIT_COMMIT ${_commit})
  endif()
endif()
configure_file(${IN} ${OUT}.new @ONLY)
file(COPY_FILE ${OUT}.new ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.new)
