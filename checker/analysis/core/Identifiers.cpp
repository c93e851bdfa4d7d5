//===--- Identifiers.cpp - the words of a C or C++ name ------------------===//
#include "analysis/core/Identifiers.h"
#include "llvm/ADT/STLExtras.h"
#include <cctype>

namespace drain {

llvm::SmallVector<std::string, 4> identifierWords(llvm::StringRef Name,
                                                  llvm::ArrayRef<llvm::StringRef> DroppedPrefixes) {
  llvm::SmallVector<std::string, 4> Out;
  std::string Cur;
  for (size_t I = 0; I < Name.size(); ++I) {
    auto C = static_cast<unsigned char>(Name[I]);
    if (!std::isalnum(C)) {
      if (!Cur.empty())
        Out.push_back(Cur), Cur.clear();
      continue;
    }
    bool PrevLower = I > 0 && std::islower(static_cast<unsigned char>(Name[I - 1]));
    if (std::isupper(C) && PrevLower && !Cur.empty())
      Out.push_back(Cur), Cur.clear();
    Cur.push_back(static_cast<char>(std::tolower(C)));
  }
  if (!Cur.empty())
    Out.push_back(Cur);
  if (Out.size() > 1 && llvm::is_contained(DroppedPrefixes, llvm::StringRef(Out.front())))
    Out.erase(Out.begin());
  return Out;
}

bool nameHasWord(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> Words) {
  for (const std::string &W : identifierWords(Name, {}))
    if (llvm::is_contained(Words, W))
      return true;
  return false;
}

} // namespace drain
