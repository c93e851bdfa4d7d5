//===--- ToolLog.cpp - what the analysis tells the user's log -------------===//
#include "analysis/core/ToolLog.h"
#include "llvm/ADT/SmallString.h"
#include <atomic>

namespace drain {

namespace {
std::atomic<ToolLogSink> CurrentSink{nullptr};
} // namespace

void setToolLogSink(ToolLogSink Sink) { CurrentSink.store(Sink); }

bool toolLogEnabled() { return CurrentSink.load() != nullptr; }

void toolLog(const llvm::Twine &Line) {
  if (ToolLogSink Sink = CurrentSink.load()) {
    llvm::SmallString<256> Buf;
    Sink(Line.toStringRef(Buf));
  }
}

} // namespace drain
