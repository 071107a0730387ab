# raw_string_delimiter(TEXT OUT_VAR): a C++ raw-string delimiter ("wfsim", "wfsim1", ...) that
# does not occur in TEXT as `)delim"`, so TEXT can be embedded as R"delim(TEXT)delim".
function(raw_string_delimiter text out_var)
  set(_delim "wfsim")
  foreach(_n RANGE 1 100)
    string(FIND "${text}" ")${_delim}\"" _pos)
    if(_pos EQUAL -1)
      break()
    endif()
    set(_delim "wfsim${_n}")
  endforeach()
  set(${out_var} "${_delim}" PARENT_SCOPE)
endfunction()
