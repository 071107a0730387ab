// A writer killed with SIGKILL at any moment never leaves a file under the final name.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "wfsim/io/results_file.h"

namespace fs = std::filesystem;

namespace {

struct Child {
  pid_t pid = -1;
  std::FILE* out = nullptr;
};

// Starts io_kill_writer with its stdout on a pipe.
Child spawn(const std::string& out_path, const char* people, const char* batches, const char* sleep_us) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(WFSIM_KILL_WRITER, WFSIM_KILL_WRITER, out_path.c_str(), "3", people, batches, sleep_us,
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, ::fdopen(fds[0], "r")};
}

// Reads stdout lines until `word` appears; false at end of output.
bool wait_for(Child& c, const std::string& word) {
  char line[256];
  while (std::fgets(line, sizeof line, c.out))
    if (std::string(line).rfind(word, 0) == 0) return true;
  return false;
}

int kill_and_reap(Child& c) {
  ::kill(c.pid, SIGKILL);
  int status = 0;
  ::waitpid(c.pid, &status, 0);
  std::fclose(c.out);
  return status;
}

}  // namespace

TEST_CASE("io: SIGKILL during spooling or finish leaves no final file", "[io][kill]") {
  const fs::path dir =
      fs::path(WFSIM_BINARY_DIR) / "tests" / "io_tmp" / ("kill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string out = (dir / "killed.h5").string();

  SECTION("killed while spooling") {
    Child c = spawn(out, "2000", "200", "2000");
    REQUIRE(wait_for(c, "spooling"));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const int status = kill_and_reap(c);
    REQUIRE(WIFSIGNALED(status));
    CHECK_FALSE(fs::exists(out));
  }
  SECTION("killed at several moments of finish") {
    int killed = 0;
    for (int delay_ms : {0, 20, 80, 200}) {
      Child c = spawn(out, "20000", "20", "0");
      REQUIRE(wait_for(c, "finishing"));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      const int status = kill_and_reap(c);
      INFO("delay " << delay_ms << " ms");
      if (WIFSIGNALED(status)) {
        ++killed;
        CHECK_FALSE(fs::exists(out));
      } else {  // finished before the kill: then the file must be complete
        REQUIRE(WIFEXITED(status));
        CHECK(wfsim::is_results_file(out));
        fs::remove(out);
      }
    }
    CHECK(killed >= 1);  // finish takes ~1 s here: at least the 0 ms kill lands inside it
  }
  SECTION("not killed: the file is published") {
    Child c = spawn(out, "100", "2", "0");
    REQUIRE(wait_for(c, "done"));
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    std::fclose(c.out);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(wfsim::is_results_file(out));
  }
  fs::remove_all(dir);
}
