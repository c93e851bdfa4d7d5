//===--- SummaryDatabase.h - inferred roles across translation units -*- C++ -*-===//
//
// A wrapper defined in net.c is called from conn.c: conn.c's translation unit cannot read its
// body. A first run over the project writes every translation unit's inferred roles into an
// SQLite database (write mode); later runs read it (read mode), so a call to `sock_send()` in
// conn.c is checked as the write it is.
//
// Table `summaries(usr TEXT PRIMARY KEY, file_hash TEXT, drain_version TEXT, data BLOB)`:
//   usr            clang's USR of the function (clang::index::generateUSRForDecl), the same in
//                  every translation unit that declares it;
//   file_hash      SHA-1 (hex) of the bytes of the file holding the body when it was read;
//   drain_version  the drain version and store format that wrote the row (storeVersion());
//   data           JSON: the file's path, the row (name, kind, result, channel, length,
//                  flags) and the reason it was inferred.
//
// Table `callers(usr TEXT, caller_file TEXT, file_hash TEXT, drain_version TEXT, data BLOB,
// PRIMARY KEY(usr, caller_file))`: what the calls in one translation unit do with the result of
// a function the unit declares but does not define (CallerFacts.h), recorded in write mode for
// functions returning an integer (a count, or a status):
//   usr            the called function's USR;
//   caller_file    the main file of the translation unit holding the calls;
//   file_hash      SHA-1 (hex) of that file when the calls were read;
//   drain_version  as above;
//   data           JSON: {"ignored": N, "status": N, "count": N, "example": "path:line:col"},
//                  the calls that drop the result, test it only for failure, or use it
//                  otherwise, and one of the first two (or "").
// Merging stores made by separate runs is copying rows (INSERT OR REPLACE ... SELECT).
//
// Read mode opens the database read-only; write mode uses WAL and a busy timeout so that
// concurrent drain-tidy processes can write one store. Write mode reads the rows already in
// the store as well, so a wrapper whose inner wrapper another file defines is inferred once
// that file's row is there: a second write pass over a project completes chains of wrappers
// across files. A missing or corrupt store, a row of
// another drain version, or a row whose file changed since it was written (its hash no
// longer matches) is ignored, and said once per translation unit through the warning
// callback; never a crash and never an answer from a stale row. A caller-facts entry that
// cannot be used makes the callers of its function unknown (CallerFacts::Incomplete); a store
// without the callers table (an older format) has no caller facts.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_SUMMARYDATABASE_H
#define DRAIN_ANALYSIS_FLOW_SUMMARYDATABASE_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/CallerFacts.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace clang {
class ASTContext;
class CallExpr;
class Decl;
class FieldDecl;
class FileEntry;
class FunctionDecl;
} // namespace clang

namespace drain {

class DiscardClassifier;
class RoleInference;

/// The USR of \p D, or "" when clang cannot make one.
std::string usrOf(const clang::Decl *D);

/// drain's version and the store's format, as written in the drain_version column.
std::string storeVersion();

class SummaryDatabase : public RoleSource {
public:
  enum class Mode { Read, Write };
  /// Opens (write mode: creates) the store at \p Path. Never fails: a store that cannot be
  /// used answers nothing and says why once per translation unit through \p Warn.
  SummaryDatabase(std::string Path, Mode M, std::function<void(const std::string &)> Warn);
  ~SummaryDatabase() override;

  /// Read mode: the stored role of \p FD when this translation unit has no body for it (a
  /// body here wins: it is what the code is now). Write mode: on the first call in a
  /// translation unit, infers and writes the roles of every function defined in it (outside
  /// system headers); answers nothing.
  const ApiEntry *roleFor(const clang::FunctionDecl *FD, const ApiModel &M) override;

  /// Read mode: what the calls of \p FD recorded from other translation units do with its
  /// result (the current file's own calls are not in it), or null if none are recorded.
  const CallerFacts *callerFactsFor(const clang::FunctionDecl *FD) override;

  /// How a call site uses its result, asked with \p Index focused on the calling function.
  using CallerUse = std::function<ResultUse(const clang::CallExpr *, DiscardClassifier &Index)>;
  /// Write mode records caller facts only with this set (drain-partial-write's classifier).
  void setCallerUse(CallerUse F) { ClassifyUse = std::move(F); }

  /// Writes the roles of every function defined in \p Ctx's translation unit outside system
  /// headers; returns how many were written. Used by roleFor in write mode and by tests.
  unsigned writeTranslationUnit(clang::ASTContext &Ctx, const ApiModel &M);

  /// Writes every current role of the store (this translation unit's included, in write
  /// mode) as a model file to \p File, sorted by name; false and \p Error on failure.
  bool exportModel(const std::string &File, std::string &Error);
  /// Export the model file to \p File on the first lookup of each translation unit (the
  /// drain.EmitModel option).
  void setEmitModel(std::string File) { EmitModel = std::move(File); }

  bool usable() const { return Db != nullptr; }
  const std::string &path() const { return Path; }

private:
  struct Stored {
    ApiEntry Row;
    std::string File, Hash, Version, Why;
  };
  /// One row to write: the key (a USR, and for caller facts the caller's file), hash, data.
  struct OutRow {
    std::string USR, CallerFile, Hash, Data;
  };
  /// Starts a new translation unit's caches when \p C is not the last one; true if it did.
  bool enter(const clang::ASTContext &C);
  void collectRoles(clang::ASTContext &C, const ApiModel &Model,
                    const std::vector<const clang::FunctionDecl *> &Defs, std::vector<OutRow> &Out);
  void collectCallerFacts(clang::ASTContext &C,
                          const std::vector<const clang::FunctionDecl *> &Defs,
                          std::vector<OutRow> &Out);
  bool writeRows(const clang::ASTContext &C, const std::vector<OutRow> &Roles,
                 const std::vector<OutRow> &Callers);
  /// Reads the stored caller facts of \p USR into \p F; false if there are none.
  bool fetchCallers(const clang::ASTContext &C, const std::string &USR, CallerFacts &F);
  /// Adds one stored caller-facts row to \p F; false if it cannot be used.
  bool addCallerRow(const clang::ASTContext &C, llvm::StringRef File, llvm::StringRef Hash,
                    llvm::StringRef Version, llvm::StringRef Data, CallerFacts &F);
  bool openRead();
  bool openWrite();
  void problem(const clang::ASTContext &Ctx, const std::string &Kind, const std::string &Msg);
  /// The row for \p USR if present, current and of this version; null otherwise.
  const ApiEntry *fetch(const clang::ASTContext &Ctx, const std::string &USR);
  /// Checks a row's version and file hash; true if it may be used.
  bool current(const clang::ASTContext &Ctx, const std::string &Version, const std::string &File,
               const std::string &Hash);
  std::string hashOfFile(const std::string &File);

  std::string Path;
  Mode M;
  std::function<void(const std::string &)> Warn;
  sqlite3 *Db = nullptr;
  sqlite3_stmt *Select = nullptr;
  sqlite3_stmt *SelectCallers = nullptr;
  bool NoCallersTable = false;
  CallerUse ClassifyUse;
  std::string MainFile; ///< this translation unit's main file, absolute
  llvm::StringMap<std::unique_ptr<CallerFacts>> CallersByUSR;
  std::string OpenProblem;
  std::string EmitModel;
  const clang::ASTContext *Ctx = nullptr;
  const clang::FileEntry *CtxMain = nullptr; ///< with Ctx, the translation unit (see enter)
  llvm::StringSet<> Warned; ///< problem kinds already said in this translation unit
  llvm::StringMap<std::string> FileHashes;
  llvm::StringMap<const ApiEntry *> ByUSR;
  llvm::DenseMap<const clang::FunctionDecl *, const ApiEntry *> ByDecl;
  std::deque<ApiEntry> Rows;
  unsigned Stale = 0;
};

/// Writes \p Roles as a model file (docs/model-file.md): the YAML that, given as ModelFile,
/// makes drain treat these functions as it did when it inferred them. Each row is preceded by
/// a comment saying why it was inferred and where.
std::string modelFileYAML(const std::vector<std::pair<ApiEntry, std::string>> &Roles);

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_SUMMARYDATABASE_H
