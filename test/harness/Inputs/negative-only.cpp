#include <algorithm>
#include <vector>
void f(std::vector<int> &v) {
  std::unique(v.begin(), v.end());
}
