#include "pipeline/executor.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace winnow {

std::vector<Status> RunLocal(const std::vector<Task>& tasks, int threads) {
  std::vector<Status> results(tasks.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= tasks.size()) return;
      results[i] = tasks[i].body();
    }
  };
  int n = std::max(1, std::min<int>(threads, static_cast<int>(tasks.size())));
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (int t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return results;
}

}  // namespace winnow
