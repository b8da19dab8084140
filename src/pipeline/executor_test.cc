#include "pipeline/executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace winnow {
namespace {

TEST(RunLocal, CommitsFollowTheirBodyAndGiveTheTaskItsStatus) {
  constexpr int kTasks = 40;
  std::vector<std::atomic<int>> stage(kTasks);
  std::atomic<int> commits_while_body_missing{0};
  std::vector<Task> tasks(kTasks);
  for (int i = 0; i < kTasks; ++i) {
    tasks[i].name = std::to_string(i);
    tasks[i].body = [&, i]() {
      if (i % 10 == 7) return Status::IOError("body " + std::to_string(i));
      stage[i] = 1;
      return Status::OK();
    };
    if (i % 2 == 0) {
      tasks[i].commit = [&, i]() {
        if (stage[i] != 1) ++commits_while_body_missing;
        // A slow commit (an fsync) must not hold back the workers.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        stage[i] = 2;
        if (i % 10 == 4) return Status::Internal("commit " + std::to_string(i));
        return Status::OK();
      };
    }
  }
  const std::vector<Status> results = RunLocal(tasks, 3);
  ASSERT_EQ(results.size(), static_cast<size_t>(kTasks));
  EXPECT_EQ(commits_while_body_missing, 0);
  for (int i = 0; i < kTasks; ++i) {
    if (i % 10 == 7) {
      // A failed body is not committed.
      EXPECT_EQ(results[i].ToString(),
                Status::IOError("body " + std::to_string(i)).ToString());
      EXPECT_EQ(stage[i], 0);
    } else if (i % 2 == 0) {
      // Every commit ran before RunLocal returned; its status is the task's.
      EXPECT_EQ(stage[i], 2) << i;
      EXPECT_EQ(results[i].ok(), i % 10 != 4) << i;
    } else {
      EXPECT_EQ(stage[i], 1) << i;
      EXPECT_TRUE(results[i].ok()) << i;
    }
  }
}

TEST(RunLocal, CommitsRunOneAtATime) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::vector<Task> tasks(16);
  for (auto& t : tasks) {
    t.body = [] { return Status::OK(); };
    t.commit = [&] {
      const int now = ++running;
      int seen = most;
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      --running;
      return Status::OK();
    };
  }
  for (const Status& s : RunLocal(tasks, 4)) EXPECT_TRUE(s.ok());
  EXPECT_EQ(most, 1);
}

}  // namespace
}  // namespace winnow
