#include "wfsim/errors.h"

namespace wfsim {

std::string format_problems(const std::vector<InputProblem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out.push_back('\n');
    if (!p.where.empty()) {
      out.append(p.where);
      out.append(": ");
    }
    out.append(p.message);
  }
  return out;
}

InputError::InputError(std::vector<InputProblem> problems)
    : std::runtime_error(format_problems(problems)), problems_(std::move(problems)) {}

InputError::InputError(std::string where, std::string message)
    : InputError(std::vector<InputProblem>{{std::move(where), std::move(message)}}) {}

}  // namespace wfsim
