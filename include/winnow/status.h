// Status: the result of an operation that can fail for operational reasons
// (I/O, bad configuration, corrupt input). Programmer errors are asserts.
// No exceptions cross winnow's module boundaries; fallible functions return
// Status or Result<T>.
#ifndef WINNOW_STATUS_H_
#define WINNOW_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace winnow {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,   // bad option, config or command line
    kNotFound,          // missing input path
    kIOError,           // open/read/write/rename/fsync failed
    kCorruption,        // input bytes that cannot be parsed
    kResourceExhausted, // a documented limit was hit
    kInternal,          // a broken invariant detected at run time
  };

  // Constructs OK.
  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) {
    return Status(Code::kNotFound, std::move(msg));
  }
  static Status IOError(std::string msg) {
    return Status(Code::kIOError, std::move(msg));
  }
  static Status Corruption(std::string msg) {
    return Status(Code::kCorruption, std::move(msg));
  }
  static Status ResourceExhausted(std::string msg) {
    return Status(Code::kResourceExhausted, std::move(msg));
  }
  static Status Internal(std::string msg) {
    return Status(Code::kInternal, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK" or "<code name>: <message>".
  std::string ToString() const;
  static std::string_view CodeName(Code code);

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok());
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace winnow

// Returns early from the enclosing function if `expr` yields a non-OK Status.
#define WINNOW_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::winnow::Status _winnow_st = (expr);       \
    if (!_winnow_st.ok()) return _winnow_st;    \
  } while (0)

#endif  // WINNOW_STATUS_H_
