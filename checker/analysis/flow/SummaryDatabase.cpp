//===--- SummaryDatabase.cpp - inferred roles across translation units ----===//
#include "analysis/flow/SummaryDatabase.h"
#include "Compat.h"
#include "analysis/flow/RoleInference.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
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
constexpr const char *StoreFormat = "roles-1";

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

/// Several checks of one translation unit each hold a connection: one of them writes, and a
/// problem is said once. Keyed by the AST and the store's path.
std::mutex OnceMutex;
std::set<std::string> &onceKeys() {
  static std::set<std::string> Keys;
  return Keys;
}
bool firstTime(const ASTContext &Ctx, llvm::StringRef What) {
  std::lock_guard<std::mutex> Lock(OnceMutex);
  static const ASTContext *Last = nullptr;
  auto &Keys = onceKeys();
  if (Last != &Ctx) {
    Last = &Ctx;
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
                   "drain_version TEXT, data BLOB, PRIMARY KEY(usr));",
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

bool SummaryDatabase::current(const ASTContext &C, const Stored &S) {
  if (S.Version != storeVersion()) {
    problem(C, "version",
            "summary store '" + Path + "' holds entries written by drain " + S.Version +
                " (this is " + storeVersion() + "); they are ignored: write the store again");
    return false;
  }
  if (S.File.empty() || hashOfFile(S.File) != S.Hash) {
    ++Stale;
    problem(C, "stale",
            "summary store '" + Path + "' is out of date for '" + S.File +
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
    } else if (current(C, S)) {
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

const ApiEntry *SummaryDatabase::roleFor(const FunctionDecl *FD, const ApiModel &Model) {
  if (!FD)
    return nullptr;
  const ASTContext &C = FD->getASTContext();
  bool NewTU = Ctx != &C;
  if (NewTU) {
    Ctx = &C;
    Warned.clear();
    ByDecl.clear();
    ByUSR.clear();
    FileHashes.clear();
    Stale = 0;
  }
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
  const SourceManager &SM = C.getSourceManager();
  std::vector<const FunctionDecl *> Defs;
  collectDefinitions(C.getTranslationUnitDecl(), SM, Defs);
  RoleInference Inf;
  struct Out {
    std::string USR, Hash, Data;
  };
  std::vector<Out> Rows;
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
    std::string Data;
    llvm::raw_string_ostream OS(Data);
    OS << llvm::json::Value(std::move(O));
    OS.flush();
    Rows.push_back({USR, HI->second, Data});
  }
  if (Rows.empty())
    return 0;
  auto Fail = [&]() {
    problem(C, "write", "summary store '" + Path + "' cannot be written (" +
                            sqlite3_errmsg(Db) + "); cross-file roles are not recorded");
    sqlite3_exec(Db, "ROLLBACK", nullptr, nullptr, nullptr);
    return 0u;
  };
  if (sqlite3_exec(Db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return Fail();
  sqlite3_stmt *Ins = nullptr;
  if (sqlite3_prepare_v2(Db,
                         "INSERT OR REPLACE INTO summaries(usr, file_hash, drain_version, data) "
                         "VALUES (?1, ?2, ?3, ?4)",
                         -1, &Ins, nullptr) != SQLITE_OK)
    return Fail();
  std::string Version = storeVersion();
  for (const Out &O : Rows) {
    sqlite3_bind_text(Ins, 1, O.USR.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(Ins, 2, O.Hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(Ins, 3, Version.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(Ins, 4, O.Data.data(), static_cast<int>(O.Data.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(Ins) != SQLITE_DONE) {
      sqlite3_finalize(Ins);
      return Fail();
    }
    sqlite3_reset(Ins);
  }
  sqlite3_finalize(Ins);
  if (sqlite3_exec(Db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return Fail();
  return static_cast<unsigned>(Rows.size());
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
