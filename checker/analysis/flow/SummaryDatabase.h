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
// Merging stores made by separate runs is copying rows (INSERT OR REPLACE ... SELECT).
//
// Read mode opens the database read-only; write mode uses WAL and a busy timeout so that
// concurrent drain-tidy processes can write one store. Write mode reads the rows already in
// the store as well, so a wrapper whose inner wrapper another file defines is inferred once
// that file's row is there: a second write pass over a project completes chains of wrappers
// across files. A missing or corrupt store, a row of
// another drain version, or a row whose file changed since it was written (its hash no
// longer matches) is ignored, and said once per translation unit through the warning
// callback; never a crash and never an answer from a stale row.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_SUMMARYDATABASE_H
#define DRAIN_ANALYSIS_FLOW_SUMMARYDATABASE_H

#include "analysis/core/ApiModel.h"
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
class Decl;
class FieldDecl;
class FunctionDecl;
} // namespace clang

namespace drain {

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
  bool openRead();
  bool openWrite();
  void problem(const clang::ASTContext &Ctx, const std::string &Kind, const std::string &Msg);
  /// The row for \p USR if present, current and of this version; null otherwise.
  const ApiEntry *fetch(const clang::ASTContext &Ctx, const std::string &USR);
  /// Checks a row's version and file hash; true if it may be used.
  bool current(const clang::ASTContext &Ctx, const Stored &S);
  std::string hashOfFile(const std::string &File);

  std::string Path;
  Mode M;
  std::function<void(const std::string &)> Warn;
  sqlite3 *Db = nullptr;
  sqlite3_stmt *Select = nullptr;
  std::string OpenProblem;
  std::string EmitModel;
  const clang::ASTContext *Ctx = nullptr;
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
