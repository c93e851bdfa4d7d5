//===--- SummaryDatabase.cpp - inferred roles across translation units ----===//
#include "analysis/flow/SummaryDatabase.h"
#include "Compat.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/flow/RoleInference.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA1.h"
#include <algorithm>
#include <mutex>
#include <set>
#include <sqlite3.h>

using namespace clang;

namespace drain {

namespace {
/// Bumped when the meaning of a stored row changes; part of the drain_version column.
/// roles-1: roles only; roles-2: and the callers table.
constexpr const char *StoreFormat = "roles-2";

std::string sha1Hex(llvm::StringRef Bytes) {
  auto H = llvm::SHA1::hash(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(Bytes.data()), Bytes.size()));
  return llvm::toHex(H, /*LowerCase=*/true);
}

std::string absolutePath(llvm::StringRef P) {
  llvm::SmallString<256> Abs(P);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs.str());
}

/// The main file of \p Ctx's translation unit. With the AST's address it tells one unit from
/// the next: drain-tidy over several files may allocate a unit's ASTContext where the last
/// one was (the file manager, and so the main file's entry, outlives the units).
const FileEntry *mainFileEntry(const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.getFileEntryForID(SM.getMainFileID());
}

/// Several checks of one translation unit each hold a connection: one of them writes, and a
/// problem is said once. Keyed by the unit and the store's path.
std::mutex OnceMutex;
std::set<std::string> &onceKeys() {
  static std::set<std::string> Keys;
  return Keys;
}
bool firstTime(const ASTContext &Ctx, llvm::StringRef What) {
  std::lock_guard<std::mutex> Lock(OnceMutex);
  static const ASTContext *Last = nullptr;
  static const FileEntry *LastMain = nullptr;
  auto &Keys = onceKeys();
  if (Last != &Ctx || LastMain != mainFileEntry(Ctx)) {
    Last = &Ctx;
    LastMain = mainFileEntry(Ctx);
    Keys.clear();
  }
  return Keys.insert(What.str()).second;
}

llvm::json::Object rowJSON(const ApiEntry &E) {
  llvm::json::Object O;
  O["name"] = E.Name;
  O["kind"] = ApiModel::kindName(E.Kind).str();
  O["result"] = ApiModel::resultName(E.Result).str();
  O["channel"] = E.Channel;
  O["length"] = E.Length;
  O["handler"] = E.HandlerArg;
  O["flags"] = static_cast<int64_t>(E.Flags);
  O["zero_is_pending"] = E.ZeroIsPending;
  return O;
}

bool rowFromJSON(const llvm::json::Object &O, ApiEntry &E) {
  auto Name = O.getString("name");
  auto Kind = O.getString("kind");
  auto Result = O.getString("result");
  if (!Name || !Kind || !Result)
    return false;
  auto K = ApiModel::parseKind(*Kind);
  auto R = ApiModel::parseResult(*Result);
  if (!K || !R)
    return false;
  E.Name = Name->str();
  E.Kind = *K;
  E.Result = *R;
  E.Channel = static_cast<int>(compat::valueOr(O.getInteger("channel"), int64_t(ChannelNone)));
  E.Length = static_cast<int>(compat::valueOr(O.getInteger("length"), int64_t(-1)));
  E.HandlerArg = static_cast<int>(compat::valueOr(O.getInteger("handler"), int64_t(-1)));
  E.Flags = static_cast<unsigned>(compat::valueOr(O.getInteger("flags"), int64_t(0)));
  E.ZeroIsPending = compat::valueOr(O.getBoolean("zero_is_pending"), false);
  E.Family = "inferred";
  E.Origin = RowOrigin::Inferred;
  return true;
}

std::string jsonText(llvm::json::Object O) {
  std::string Data;
  llvm::raw_string_ostream OS(Data);
  OS << llvm::json::Value(std::move(O));
  OS.flush();
  return Data;
}

/// "path:line:column" of where \p Loc is written, the path absolute.
std::string locationText(const SourceManager &SM, SourceLocation Loc) {
  Loc = SM.getFileLoc(Loc);
  PresumedLoc P = SM.getPresumedLoc(Loc);
  if (P.isInvalid())
    return "";
  return absolutePath(P.getFilename()) + ":" + std::to_string(P.getLine()) + ":" +
         std::to_string(P.getColumn());
}

/// A function whose callers' use of the result is worth recording: declared but not defined
/// in this translation unit, outside system headers, returning an integer (a count or a
/// status; a bool, an enum or a character is neither).
bool isCandidate(const FunctionDecl *FD, const SourceManager &SM) {
  if (!FD || FD->isDefined() || !FD->getDeclName().isIdentifier() || FD->getBuiltinID())
    return false;
  QualType T = FD->getReturnType().getCanonicalType();
  if (!T->isIntegerType() || T->isBooleanType() || T->isEnumeralType() || T->isAnyCharacterType())
    return false;
  SourceLocation L = SM.getExpansionLoc(FD->getCanonicalDecl()->getLocation());
  return L.isValid() && !SM.isInSystemHeader(L);
}

/// True if \p S calls a candidate directly: only such bodies are focused and traced.
bool callsCandidate(const Stmt *S, const SourceManager &SM, unsigned Depth = 0) {
  if (!S || Depth > 256)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (isCandidate(CE->getDirectCallee(), SM))
      return true;
  for (const Stmt *Child : S->children())
    if (callsCandidate(Child, SM, Depth + 1))
      return true;
  return false;
}

void collectDefinitions(const DeclContext *DC, const SourceManager &SM,
                        std::vector<const FunctionDecl *> &Out, unsigned Depth = 0) {
  if (Depth > 16)
    return;
  for (const Decl *D : DC->decls()) {
    if (D->isImplicit())
      continue;
    SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
    if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
      continue;
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->isThisDeclarationADefinition() && !FD->isDependentContext())
        Out.push_back(FD);
      continue;
    }
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
      if (!RD->isDependentContext() && RD->isThisDeclarationADefinition())
        collectDefinitions(RD, SM, Out, Depth + 1);
      continue;
    }
    if (isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) || isa<ExternCContextDecl>(D))
      collectDefinitions(cast<DeclContext>(D), SM, Out, Depth + 1);
  }
}
} // namespace

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (!D || index::generateUSRForDecl(D, Buf))
    return "";
  return std::string(Buf.str());
}

std::string storeVersion() { return std::string(DRAIN_VERSION) + "/" + StoreFormat; }

SummaryDatabase::SummaryDatabase(std::string P, Mode Md,
                                 std::function<void(const std::string &)> W)
    : Path(std::move(P)), M(Md), Warn(std::move(W)) {
  if (M == Mode::Read)
    openRead();
  else
    openWrite();
}

SummaryDatabase::~SummaryDatabase() {
  if (Select)
    sqlite3_finalize(Select);
  if (SelectCallers)
    sqlite3_finalize(SelectCallers);
  if (Db)
    sqlite3_close(Db);
}

bool SummaryDatabase::openRead() {
  if (!llvm::sys::fs::exists(Path)) {
    OpenProblem = "summary store '" + Path +
                  "' does not exist; cross-file roles are not used (write it first with "
                  "drain.SummaryStoreMode: write)";
    return false;
  }
  auto Fail = [&](const std::string &Why) {
    OpenProblem = "summary store '" + Path + "' cannot be read (" + Why +
                  "); it is ignored";
    if (Select)
      sqlite3_finalize(Select);
    Select = nullptr;
    if (Db)
      sqlite3_close(Db);
    Db = nullptr;
    return false;
  };
  // Opened read-write where the file allows it (SQLite falls back to read-only on a
  // write-protected file), though it only reads: the store is in WAL mode, and only a
  // connection that may write removes the -wal and -shm files when it is the last to close.
  // A read-only last reader would leave them next to the store.
  if (sqlite3_open_v2(Path.c_str(), &Db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return Fail(Db ? sqlite3_errmsg(Db) : "out of memory");
  sqlite3_busy_timeout(Db, 10000);
  if (sqlite3_prepare_v2(Db,
                         "SELECT file_hash, drain_version, data FROM summaries WHERE usr = ?1",
                         -1, &Select, nullptr) != SQLITE_OK)
    return Fail(sqlite3_errmsg(Db));
  return true;
}

bool SummaryDatabase::openWrite() {
  auto Fail = [&](const std::string &Why) {
    OpenProblem = "summary store '" + Path + "' cannot be written (" + Why +
                  "); cross-file roles are not recorded";
    if (Db)
      sqlite3_close(Db);
    Db = nullptr;
    return false;
  };
  if (sqlite3_open_v2(Path.c_str(), &Db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK)
    return Fail(Db ? sqlite3_errmsg(Db) : "out of memory");
  // Many drain-tidy processes write one store: wait for each other rather than fail.
  sqlite3_busy_timeout(Db, 60000);
  char *Err = nullptr;
  if (sqlite3_exec(Db,
                   "PRAGMA journal_mode=WAL;"
                   "CREATE TABLE IF NOT EXISTS summaries(usr TEXT, file_hash TEXT, "
                   "drain_version TEXT, data BLOB, PRIMARY KEY(usr));"
                   "CREATE TABLE IF NOT EXISTS callers(usr TEXT, caller_file TEXT, "
                   "file_hash TEXT, drain_version TEXT, data BLOB, "
                   "PRIMARY KEY(usr, caller_file));",
                   nullptr, nullptr, &Err) != SQLITE_OK) {
    std::string Why = Err ? Err : sqlite3_errmsg(Db);
    sqlite3_free(Err);
    return Fail(Why);
  }
  // Rows other translation units wrote are read too: a wrapper of a wrapper defined in a
  // third file (`coap_session_write` -> `coap_socket_write` -> `send`) gets its role once the
  // inner one is in the store, so a second pass over the project completes such chains.
  if (sqlite3_prepare_v2(Db,
                         "SELECT file_hash, drain_version, data FROM summaries WHERE usr = ?1",
                         -1, &Select, nullptr) != SQLITE_OK)
    return Fail(sqlite3_errmsg(Db));
  return true;
}

void SummaryDatabase::problem(const ASTContext &C, const std::string &Kind,
                              const std::string &Msg) {
  if (!Warned.insert(Kind).second)
    return;
  if (Warn && firstTime(C, "problem\x1f" + Path + "\x1f" + Kind))
    Warn(Msg);
}

std::string SummaryDatabase::hashOfFile(const std::string &File) {
  auto It = FileHashes.find(File);
  if (It != FileHashes.end())
    return It->second;
  std::string H;
  if (auto Buf = llvm::MemoryBuffer::getFile(File))
    H = sha1Hex((*Buf)->getBuffer());
  FileHashes[File] = H;
  return H;
}

bool SummaryDatabase::current(const ASTContext &C, const std::string &Version,
                              const std::string &File, const std::string &Hash) {
  if (Version != storeVersion()) {
    problem(C, "version",
            "summary store '" + Path + "' holds entries written by drain " + Version +
                " (this is " + storeVersion() + "); they are ignored: write the store again");
    return false;
  }
  if (File.empty() || hashOfFile(File) != Hash) {
    ++Stale;
    problem(C, "stale",
            "summary store '" + Path + "' is out of date for '" + File +
                "' (the file changed since the store was written); its entries for changed "
                "files are ignored: write the store again");
    return false;
  }
  return true;
}

const ApiEntry *SummaryDatabase::fetch(const ASTContext &C, const std::string &USR) {
  auto It = ByUSR.find(USR);
  if (It != ByUSR.end())
    return It->second;
  const ApiEntry *Found = nullptr;
  sqlite3_reset(Select);
  sqlite3_bind_text(Select, 1, USR.c_str(), static_cast<int>(USR.size()), SQLITE_TRANSIENT);
  int RC = sqlite3_step(Select);
  if (RC == SQLITE_ROW) {
    Stored S;
    auto Text = [&](int Col) {
      const unsigned char *T = sqlite3_column_text(Select, Col);
      return T ? std::string(reinterpret_cast<const char *>(T),
                             static_cast<size_t>(sqlite3_column_bytes(Select, Col)))
               : std::string();
    };
    S.Hash = Text(0);
    S.Version = Text(1);
    std::string Data = Text(2);
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Data);
    const llvm::json::Object *O = V ? V->getAsObject() : nullptr;
    if (!V)
      llvm::consumeError(V.takeError());
    if (O && O->getString("file"))
      S.File = O->getString("file")->str();
    if (!O || !rowFromJSON(*O, S.Row)) {
      problem(C, "corrupt", "summary store '" + Path +
                                "' has an entry drain cannot read; such entries are ignored");
    } else if (current(C, S.Version, S.File, S.Hash)) {
      Rows.push_back(std::move(S.Row));
      Found = &Rows.back();
    }
  } else if (RC != SQLITE_DONE) {
    problem(C, "corrupt", "summary store '" + Path + "' cannot be read (" +
                              sqlite3_errmsg(Db) + "); it is ignored");
  }
  sqlite3_reset(Select);
  ByUSR[USR] = Found;
  return Found;
}

bool SummaryDatabase::enter(const ASTContext &C) {
  if (Ctx == &C && CtxMain == mainFileEntry(C))
    return false;
  Ctx = &C;
  CtxMain = mainFileEntry(C);
  Warned.clear();
  ByDecl.clear();
  ByUSR.clear();
  CallersByUSR.clear();
  FileHashes.clear();
  Stale = 0;
  MainFile.clear();
  const SourceManager &SM = C.getSourceManager();
  if (const auto *FE = SM.getFileEntryForID(SM.getMainFileID()))
    MainFile = absolutePath(FE->tryGetRealPathName().empty()
                                ? SM.getFilename(SM.getLocForStartOfFile(SM.getMainFileID()))
                                : FE->tryGetRealPathName());
  return true;
}

const ApiEntry *SummaryDatabase::roleFor(const FunctionDecl *FD, const ApiModel &Model) {
  if (!FD)
    return nullptr;
  const ASTContext &C = FD->getASTContext();
  bool NewTU = enter(C);
  if (!OpenProblem.empty()) {
    problem(C, "open", OpenProblem);
    return nullptr;
  }
  if (!Db)
    return nullptr;
  if (NewTU && M == Mode::Write && firstTime(C, "write\x1f" + Path))
    writeTranslationUnit(const_cast<ASTContext &>(C), Model);
  if (NewTU && !EmitModel.empty() && firstTime(C, "emit\x1f" + EmitModel)) {
    std::string Error;
    if (!exportModel(EmitModel, Error))
      problem(C, "emit", Error);
  }
  const FunctionDecl *Key = FD->getCanonicalDecl();
  auto It = ByDecl.find(Key);
  if (It != ByDecl.end())
    return It->second;
  const ApiEntry *Found = nullptr;
  // A body in this translation unit is what the code is now: inference reads it.
  const FunctionDecl *Def = nullptr;
  const SourceManager &SM = C.getSourceManager();
  if (!FD->hasBody(Def) && !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()))) {
    std::string USR = usrOf(Key);
    if (!USR.empty())
      Found = fetch(C, USR);
  }
  ByDecl[Key] = Found;
  return Found;
}

unsigned SummaryDatabase::writeTranslationUnit(ASTContext &C, const ApiModel &Model) {
  if (!Db || M != Mode::Write)
    return 0;
  enter(C);
  std::vector<const FunctionDecl *> Defs;
  collectDefinitions(C.getTranslationUnitDecl(), C.getSourceManager(), Defs);
  std::vector<OutRow> Roles, Callers;
  collectRoles(C, Model, Defs, Roles);
  if (ClassifyUse)
    collectCallerFacts(C, Defs, Callers);
  if (!writeRows(C, Roles, Callers))
    return 0;
  return static_cast<unsigned>(Roles.size());
}

void SummaryDatabase::collectRoles(ASTContext &C, const ApiModel &Model,
                                   const std::vector<const FunctionDecl *> &Defs,
                                   std::vector<OutRow> &Rows) {
  const SourceManager &SM = C.getSourceManager();
  RoleInference Inf;
  llvm::StringMap<std::string> Hashes;
  for (const FunctionDecl *FD : Defs) {
    if (!FD->getDeclName().isIdentifier())
      continue;
    const InferredRole *R = Inf.infer(FD, Model);
    if (!R)
      continue;
    std::string USR = usrOf(FD->getCanonicalDecl());
    if (USR.empty())
      continue;
    SourceLocation Loc = SM.getExpansionLoc(FD->getLocation());
    FileID FID = SM.getFileID(Loc);
    const auto *FE = SM.getFileEntryForID(FID);
    if (!FE)
      continue;
    std::string File = absolutePath(FE->tryGetRealPathName().empty()
                                        ? SM.getFilename(Loc)
                                        : FE->tryGetRealPathName());
    auto HI = Hashes.find(File);
    if (HI == Hashes.end())
      HI = Hashes.insert({File, sha1Hex(SM.getBufferData(FID))}).first;
    llvm::json::Object O = rowJSON(R->Row);
    O["file"] = File;
    O["why"] = R->Why;
    Rows.push_back({USR, "", HI->second, jsonText(std::move(O))});
  }
}

void SummaryDatabase::collectCallerFacts(ASTContext &C,
                                         const std::vector<const FunctionDecl *> &Defs,
                                         std::vector<OutRow> &Rows) {
  const SourceManager &SM = C.getSourceManager();
  if (MainFile.empty())
    return;
  llvm::StringMap<CallerFacts> ByCallee;
  std::vector<std::string> Order; // USRs in the order first met: the rows come out stable
  DiscardClassifier Index(C);
  for (const FunctionDecl *Caller : Defs) {
    if (!Caller->hasBody() || !callsCandidate(Caller->getBody(), SM))
      continue;
    for (const CallExpr *CE : Index.focus(Caller)) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!isCandidate(Callee, SM))
        continue;
      std::string USR = usrOf(Callee->getCanonicalDecl());
      if (USR.empty())
        continue;
      auto Ins = ByCallee.try_emplace(USR);
      if (Ins.second)
        Order.push_back(USR);
      CallerFacts &F = Ins.first->second;
      ResultUse U = ClassifyUse(CE, Index);
      if (U == ResultUse::Count) {
        ++F.Count;
        continue;
      }
      ++(U == ResultUse::Ignored ? F.Ignored : F.Status);
      // A call that tests for failure shows the mistake better than one that drops the result.
      if (F.StatusExample.empty() || (U == ResultUse::Status && !F.ExampleTests)) {
        F.StatusExample = locationText(SM, CE->getBeginLoc());
        F.ExampleTests = U == ResultUse::Status;
      }
    }
    Index.unfocus();
  }
  std::string Hash = sha1Hex(SM.getBufferData(SM.getMainFileID()));
  for (const std::string &USR : Order) {
    const CallerFacts &F = ByCallee[USR];
    llvm::json::Object O;
    O["ignored"] = F.Ignored;
    O["status"] = F.Status;
    O["count"] = F.Count;
    O["example"] = F.StatusExample;
    Rows.push_back({USR, MainFile, Hash, jsonText(std::move(O))});
  }
}

bool SummaryDatabase::writeRows(const ASTContext &C, const std::vector<OutRow> &Roles,
                                const std::vector<OutRow> &Callers) {
  sqlite3_stmt *Ins = nullptr;
  auto Fail = [&]() {
    problem(C, "write", "summary store '" + Path + "' cannot be written (" +
                            sqlite3_errmsg(Db) + "); cross-file roles are not recorded");
    if (Ins)
      sqlite3_finalize(Ins);
    sqlite3_exec(Db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  };
  if (Roles.empty() && Callers.empty() && !ClassifyUse)
    return true;
  if (sqlite3_exec(Db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return Fail();
  std::string Version = storeVersion();
  // This file's calls as they are now: a callee it no longer calls keeps no row from it.
  if (ClassifyUse && !MainFile.empty()) {
    if (sqlite3_prepare_v2(Db, "DELETE FROM callers WHERE caller_file = ?1", -1, &Ins, nullptr) !=
        SQLITE_OK)
      return Fail();
    sqlite3_bind_text(Ins, 1, MainFile.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(Ins) != SQLITE_DONE)
      return Fail();
    sqlite3_finalize(Ins);
    Ins = nullptr;
  }
  for (int Table = 0; Table < 2; ++Table) {
    const std::vector<OutRow> &Rows = Table == 0 ? Roles : Callers;
    const char *SQL = Table == 0 ? "INSERT OR REPLACE INTO summaries(usr, file_hash, "
                                   "drain_version, data) VALUES (?1, ?3, ?4, ?5)"
                                 : "INSERT OR REPLACE INTO callers(usr, caller_file, "
                                   "file_hash, drain_version, data) VALUES (?1, ?2, ?3, ?4, ?5)";
    if (Rows.empty())
      continue;
    if (sqlite3_prepare_v2(Db, SQL, -1, &Ins, nullptr) != SQLITE_OK)
      return Fail();
    for (const OutRow &O : Rows) {
      sqlite3_bind_text(Ins, 1, O.USR.c_str(), -1, SQLITE_TRANSIENT);
      if (Table == 1)
        sqlite3_bind_text(Ins, 2, O.CallerFile.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(Ins, 3, O.Hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(Ins, 4, Version.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob(Ins, 5, O.Data.data(), static_cast<int>(O.Data.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(Ins) != SQLITE_DONE)
        return Fail();
      sqlite3_reset(Ins);
    }
    sqlite3_finalize(Ins);
    Ins = nullptr;
  }
  if (sqlite3_exec(Db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return Fail();
  return true;
}

const CallerFacts *SummaryDatabase::callerFactsFor(const FunctionDecl *FD) {
  if (!FD || M != Mode::Read)
    return nullptr;
  const ASTContext &C = FD->getASTContext();
  enter(C);
  if (!Db)
    return nullptr; // roleFor says why
  std::string USR = usrOf(FD->getCanonicalDecl());
  if (USR.empty())
    return nullptr;
  auto It = CallersByUSR.find(USR);
  if (It == CallersByUSR.end()) {
    auto F = std::make_unique<CallerFacts>();
    if (!fetchCallers(C, USR, *F))
      F.reset();
    It = CallersByUSR.try_emplace(USR, std::move(F)).first;
  }
  return It->second.get();
}

bool SummaryDatabase::fetchCallers(const ASTContext &C, const std::string &USR, CallerFacts &F) {
  if (NoCallersTable)
    return false;
  if (!SelectCallers &&
      sqlite3_prepare_v2(Db,
                         "SELECT caller_file, file_hash, drain_version, data FROM callers "
                         "WHERE usr = ?1 ORDER BY caller_file",
                         -1, &SelectCallers, nullptr) != SQLITE_OK) {
    NoCallersTable = true;
    problem(C, "callers",
            "summary store '" + Path + "' holds no caller facts (" + sqlite3_errmsg(Db) +
                "; an older store format); callers in other files are not known: write the "
                "store again");
    return false;
  }
  sqlite3_reset(SelectCallers);
  sqlite3_bind_text(SelectCallers, 1, USR.c_str(), static_cast<int>(USR.size()), SQLITE_TRANSIENT);
  bool Any = false;
  int RC;
  while ((RC = sqlite3_step(SelectCallers)) == SQLITE_ROW) {
    auto Text = [&](int Col) {
      const unsigned char *T = sqlite3_column_text(SelectCallers, Col);
      return T ? std::string(reinterpret_cast<const char *>(T),
                             static_cast<size_t>(sqlite3_column_bytes(SelectCallers, Col)))
               : std::string();
    };
    std::string File = Text(0);
    if (File == MainFile)
      continue; // this file's own calls are seen in its AST
    Any = true;
    if (!addCallerRow(C, File, Text(1), Text(2), Text(3), F))
      F.Incomplete = true;
  }
  if (RC != SQLITE_DONE) {
    problem(C, "corrupt",
            "summary store '" + Path + "' cannot be read (" + sqlite3_errmsg(Db) +
                "); it is ignored");
    F.Incomplete = Any = true;
  }
  sqlite3_reset(SelectCallers);
  return Any;
}

bool SummaryDatabase::addCallerRow(const ASTContext &C, llvm::StringRef File, llvm::StringRef Hash,
                                   llvm::StringRef Version, llvm::StringRef Data, CallerFacts &F) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Data);
  if (!V)
    llvm::consumeError(V.takeError());
  const llvm::json::Object *O = V ? V->getAsObject() : nullptr;
  auto Count = [&](llvm::StringRef Key) -> int64_t {
    int64_t N = O ? compat::valueOr(O->getInteger(Key), int64_t(-1)) : -1;
    return N <= int64_t(UINT32_MAX) ? N : -1;
  };
  int64_t Ignored = Count("ignored"), Status = Count("status"), Used = Count("count");
  if (Ignored < 0 || Status < 0 || Used < 0) {
    problem(C, "corrupt-callers",
            "summary store '" + Path + "' has a caller-facts entry drain cannot read (from '" +
                File.str() + "'); the callers it stands for are taken as unknown");
    return false;
  }
  if (!current(C, Version.str(), File.str(), Hash.str()))
    return false;
  F.Ignored += static_cast<unsigned>(Ignored);
  F.Status += static_cast<unsigned>(Status);
  F.Count += static_cast<unsigned>(Used);
  auto Example = O->getString("example");
  if (Example && !Example->empty() &&
      (F.StatusExample.empty() || (Status > 0 && !F.ExampleTests))) {
    F.StatusExample = Example->str();
    F.ExampleTests = Status > 0;
  }
  return true;
}

bool SummaryDatabase::exportModel(const std::string &File, std::string &Error) {
  if (!Db) {
    Error = OpenProblem.empty() ? "summary store '" + Path + "' is not open" : OpenProblem;
    return false;
  }
  sqlite3_stmt *All = nullptr;
  if (sqlite3_prepare_v2(Db, "SELECT file_hash, drain_version, data FROM summaries", -1, &All,
                         nullptr) != SQLITE_OK) {
    Error = "summary store '" + Path + "' cannot be read (" + sqlite3_errmsg(Db) + ")";
    return false;
  }
  std::vector<std::pair<ApiEntry, std::string>> Roles;
  std::string Version = storeVersion();
  while (sqlite3_step(All) == SQLITE_ROW) {
    auto Text = [&](int Col) {
      const unsigned char *T = sqlite3_column_text(All, Col);
      return T ? std::string(reinterpret_cast<const char *>(T),
                             static_cast<size_t>(sqlite3_column_bytes(All, Col)))
               : std::string();
    };
    if (Text(1) != Version)
      continue;
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text(2));
    if (!V) {
      llvm::consumeError(V.takeError());
      continue;
    }
    const llvm::json::Object *O = V->getAsObject();
    ApiEntry E;
    if (!O || !rowFromJSON(*O, E))
      continue;
    std::string F = O->getString("file") ? O->getString("file")->str() : "";
    if (F.empty() || hashOfFile(F) != Text(0))
      continue; // stale: the file changed since
    std::string Why = O->getString("why") ? O->getString("why")->str() : "";
    Roles.push_back({std::move(E), Why + " (" + llvm::sys::path::filename(F).str() + ")"});
  }
  sqlite3_finalize(All);
  std::sort(Roles.begin(), Roles.end(),
            [](const auto &A, const auto &B) { return A.first.Name < B.first.Name; });
  std::error_code EC;
  llvm::raw_fd_ostream OS(File, EC);
  if (EC) {
    Error = "cannot write model file '" + File + "': " + EC.message();
    return false;
  }
  OS << modelFileYAML(Roles);
  return true;
}

std::string modelFileYAML(const std::vector<std::pair<ApiEntry, std::string>> &Roles) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "# drain model file: roles inferred from this project's own functions.\n"
        "# Review, edit and commit it; give it as the ModelFile option (docs/model-file.md).\n"
        "version: 1\n"
        "functions:\n";
  for (const auto &R : Roles) {
    const ApiEntry &E = R.first;
    if (!R.second.empty())
      OS << "  # " << R.second << "\n";
    OS << "  - name: '" << E.Name << "'\n";
    OS << "    kind: " << ApiModel::kindName(E.Kind) << "\n";
    if (E.Result != ResultKind::None)
      OS << "    result: " << ApiModel::resultName(E.Result) << "\n";
    OS << "    channel: ";
    if (E.Channel == ChannelImplicitObject)
      OS << "this\n";
    else if (E.Channel == ChannelNone)
      OS << "none\n";
    else
      OS << E.Channel << "\n";
    if (E.Length >= 0)
      OS << "    length: " << E.Length << "\n";
    if (E.Flags & AF_MayDiscard)
      OS << "    may_discard: true\n";
    if (E.Flags & AF_FlushesFirst)
      OS << "    flushes_first: true\n";
    if (E.ZeroIsPending)
      OS << "    zero_is_pending: true\n";
    OS << "    family: inferred\n";
  }
  OS.flush();
  return Out;
}

} // namespace drain
