// Typed errors of the wfsim libraries. Tools map them to exit codes:
// InputError -> 2 (bad scenario, flag or file), everything else -> 1.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace wfsim {

// One problem found in user input: where (file:line:col or key path), what, how to fix.
struct InputProblem {
  std::string where;    // "scenarios/x.yaml:3:1" or "learning.target_hours"
  std::string message;  // "unknown key 'learnig' (did you mean 'learning'?)"
};

// Bad input: carries every problem found, not only the first.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<InputProblem> problems);
  InputError(std::string where, std::string message);
  const std::vector<InputProblem>& problems() const { return problems_; }

 private:
  std::vector<InputProblem> problems_;
};

// A failure while running (I/O error, numerical failure) that is not the user's input.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An estimator could not be computed (singular design, separation, empty sample).
class EstimationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats problems one per line as "where: message".
std::string format_problems(const std::vector<InputProblem>& problems);

}  // namespace wfsim
