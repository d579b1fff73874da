#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace gclab {
namespace {

bool IsExecutable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The caller's environment with `overrides` applied ("NAME=value").
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const absl::string_view entry(*e);
    const absl::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const std::string& o : overrides) {
      if (absl::string_view(o).substr(0, o.find('=')) == name) replaced = true;
    }
    if (!replaced) env.emplace_back(entry);
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void CloseIfOpen(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::string ProcessResult::Describe() const {
  if (timed_out) return absl::StrCat("timed out after ", wall_s, "s");
  if (term_signal != 0)
    return absl::StrCat("signal ", term_signal, " (", strsignal(term_signal), ")");
  return absl::StrCat("exit ", exit_code);
}

absl::StatusOr<std::string> FindProgram(const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("empty program name");
  if (name.find('/') != std::string::npos) {
    if (IsExecutable(name)) return name;
    return absl::NotFoundError(absl::StrCat("not an executable file: ", name));
  }
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "/usr/bin:/bin", ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/", name);
    if (IsExecutable(candidate)) return candidate;
  }
  return absl::NotFoundError(absl::StrCat("program '", name, "' not found in PATH"));
}

absl::StatusOr<ProcessResult> RunProcess(const ProcessOptions& options) {
  if (options.argv.empty()) return absl::InvalidArgumentError("RunProcess: empty argv");
  absl::StatusOr<std::string> program = FindProgram(options.argv[0]);
  if (!program.ok()) return program.status();

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> args = options.argv;
  std::vector<std::string> env = MergedEnvironment(options.env);
  std::vector<char*> argv = CStrings(args);
  std::vector<char*> envp = CStrings(env);

  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  auto close_all = [&] {
    for (int* p : {in_pipe, out_pipe, err_pipe}) {
      CloseIfOpen(p[0]);
      CloseIfOpen(p[1]);
    }
  };
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 ||
      (options.capture_stdout && ::pipe2(out_pipe, O_CLOEXEC) != 0) ||
      (options.capture_stderr && ::pipe2(err_pipe, O_CLOEXEC) != 0)) {
    close_all();
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  int out_file = -1, err_file = -1;
  if (!options.capture_stdout && !options.stdout_path.empty()) {
    out_file = ::open(options.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out_file < 0) {
      close_all();
      return absl::InternalError(
          absl::StrCat("open ", options.stdout_path, ": ", std::strerror(errno)));
    }
  }
  if (!options.capture_stderr && !options.stderr_path.empty()) {
    err_file = ::open(options.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err_file < 0) {
      close_all();
      CloseIfOpen(out_file);
      return absl::InternalError(
          absl::StrCat("open ", options.stderr_path, ": ", std::strerror(errno)));
    }
  }

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    close_all();
    CloseIfOpen(out_file);
    CloseIfOpen(err_file);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(in_pipe[0], 0);
    if (out_pipe[1] >= 0) ::dup2(out_pipe[1], 1);
    if (out_file >= 0) ::dup2(out_file, 1);
    if (err_pipe[1] >= 0) ::dup2(err_pipe[1], 2);
    if (err_file >= 0) ::dup2(err_file, 2);
    if (!options.working_dir.empty() && ::chdir(options.working_dir.c_str()) != 0) _exit(127);
    ::execve(program->c_str(), argv.data(), envp.data());
    _exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so a kill cannot race the child's own call
  CloseIfOpen(in_pipe[0]);
  CloseIfOpen(out_pipe[1]);
  CloseIfOpen(err_pipe[1]);
  CloseIfOpen(out_file);
  CloseIfOpen(err_file);

  ProcessResult result;
  // Feed stdin and drain stdout/stderr together so neither side blocks.
  size_t stdin_written = 0;
  if (options.stdin_data.empty())
    CloseIfOpen(in_pipe[1]);
  else
    ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  const bool has_deadline = options.timeout != absl::InfiniteDuration();
  const auto deadline = start + std::chrono::nanoseconds(
                                    has_deadline ? absl::ToInt64Nanoseconds(options.timeout) : 0);
  char buf[65536];
  while (out_pipe[0] >= 0 || err_pipe[0] >= 0 || in_pipe[1] >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_pipe[0] >= 0) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_pipe[0] >= 0) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_pipe[1] >= 0) fds[n++] = {in_pipe[1], POLLOUT, 0};
    int wait_ms = -1;
    if (has_deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), 1000));
    }
    const int ready = ::poll(fds, n, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_pipe[1]) {
        const ssize_t w = ::write(in_pipe[1], options.stdin_data.data() + stdin_written,
                                  options.stdin_data.size() - stdin_written);
        if (w > 0) stdin_written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN && errno != EINTR) stdin_written = options.stdin_data.size();
        if (stdin_written == options.stdin_data.size()) CloseIfOpen(in_pipe[1]);
        continue;
      }
      const ssize_t r = ::read(fds[i].fd, buf, sizeof(buf));
      if (r > 0) {
        (fds[i].fd == out_pipe[0] ? result.stdout_text : result.stderr_text).append(buf, r);
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        CloseIfOpen(fds[i].fd == out_pipe[0] ? out_pipe[0] : err_pipe[0]);
      }
    }
  }
  if (result.timed_out) ::kill(-pid, SIGKILL);
  close_all();

  int status = 0;
  rusage ru{};
  // The child may close its output and keep running: the deadline still holds.
  while (has_deadline && !result.timed_out) {
    const pid_t done = ::wait4(pid, &status, WNOHANG, &ru);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    ::usleep(2000);
  }
  if (!has_deadline || result.timed_out) {
    while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
  }
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  result.user_cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
  result.system_cpu_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  result.max_rss_bytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
  return result;
}

}  // namespace gclab
