#include <algorithm>
#include <vector>
void f(std::vector<int> &v) {
  std::unique(v.begin(), v.end());
  // CHECK-MESSAGES: :[[@LINE-1]]:4: warning: the value returned by this function should {{be used|not be disregarded}}
}
