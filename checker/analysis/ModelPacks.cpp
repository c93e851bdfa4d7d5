//===--- ModelPacks.cpp - rows for the libraries network code uses --------===//
#include "analysis/ModelPacks.h"

namespace drain {

namespace {
const llvm::StringRef AssertionFailureFunctions[] = {
    "__assert_fail",  "__assert_perror_fail", "__assert_rtn", "__assert", "__assert2",
    "_assert",        "_wassert",             "__assert_func", "g_assertion_message_expr",
    "g_assertion_message_cmpnum",
};
} // namespace

llvm::ArrayRef<llvm::StringRef> assertionFailureFunctions() { return AssertionFailureFunctions; }

} // namespace drain
