//===--- PointerRolesTest.cpp - writes behind function pointers -----------===//
#include "TestSupport.h"
#include "analysis/core/ApiModel.h"
#include "analysis/core/PointerRoles.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace drain;

namespace {

// Every field of `ops` is marked: [[write]] (a count-returning write, by name and signature)
// or [[not]].
const char *Ops = R"cpp(
typedef long ssize_t;
typedef unsigned long size_t;
typedef ssize_t archive_write_callback(void *, void *, const void *, size_t);
enum status { OK, FAILED };
struct ops {
  int (*write)(void *ssl, const unsigned char *buf, size_t len);         // [[write]]
  ssize_t (*conn_write)(void *c, const char *buf, size_t count);        // [[write]]
  archive_write_callback *client_writer;                                // [[write]]
  int (*xSend)(void *h, const void *data, int amount);                  // [[write]]
  long (*sendmsgFn)(const char *buf, unsigned len);                     // [[write]]
  int (*mqttwrite)(void *n, unsigned char *buf, int len, int timeout);  // [[write]]
  int (*netsend)(void *n, const void *buf, size_t len);                 // [[write]]
  int (*tls_write)(void *n, char *buf, size_t len);                     // [[write]]
  int (*read)(void *ssl, unsigned char *buf, size_t len);               // [[not]]
  int (*write_all)(void *h, const void *buf, size_t len);               // [[not]]
  int (*log_write)(void *h, const char *line, size_t len);              // [[not]]
  bool (*send)(void *h, const void *buf, size_t len);                   // [[not]]
  status (*send_status)(void *h, const void *buf, size_t len);          // [[not]]
  unsigned (*sendq)(void *h, const void *buf, size_t len);              // [[not]]
  int (*write_done)(void *req, int status);                             // [[not]]
  int (*write_into)(void *h, char *buf, size_t len);                    // [[not]]
  int (*on_write)(void *h, char *buf, size_t len);                      // [[not]]
  int (*rewrite)(void *h, const char *buf, size_t len);                 // [[not]]
  int (*overwrite)(void *h, const char *buf, size_t len);               // [[not]]
  int (*readwrite)(void *h, const char *buf, size_t len);               // [[not]]
  int (*mqttread)(void *n, unsigned char *buf, int len, int timeout);   // [[not]]
  int (*writer_count);                                                  // [[not]]
  int (*flush)(void *h);                                                // [[not]]
};
)cpp";

TEST(PointerRoles, EachMarkedFieldHasItsGuess) {
  for (const auto &Std : test::standards()) {
    auto AST = test::parse(Ops, Std);
    ASSERT_TRUE(AST);
    ApiModel M;
    ASTContext &Ctx = AST->getASTContext();
    const SourceManager &SM = Ctx.getSourceManager();
    std::set<unsigned> Writes = test::markedLines(Ops, "write");
    std::set<unsigned> Nots = test::markedLines(Ops, "not");
    unsigned Seen = 0;
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      const auto *RD = dyn_cast<RecordDecl>(D);
      if (!RD || RD->getName() != "ops")
        continue;
      for (const FieldDecl *F : RD->fields()) {
        unsigned Line = SM.getSpellingLineNumber(F->getLocation());
        std::string Why;
        std::optional<ApiEntry> E = guessPointerWrite(F, M, Why);
        if (Writes.count(Line)) {
          ASSERT_TRUE(E) << F->getName().str() << " (" << Std << ")";
          EXPECT_EQ(E->Kind, OpKind::Write);
          EXPECT_EQ(E->Result, ResultKind::ByteCount);
          EXPECT_TRUE(E->Flags & AF_MayDiscard);
          EXPECT_EQ(E->Origin, RowOrigin::Inferred);
          EXPECT_FALSE(Why.empty());
          ++Seen;
        } else {
          EXPECT_TRUE(Nots.count(Line)) << "unmarked field " << F->getName().str();
          EXPECT_FALSE(E) << F->getName().str() << " (" << Std << ")";
          ++Seen;
        }
      }
    }
    EXPECT_EQ(Seen, Writes.size() + Nots.size());
  }
}

TEST(PointerRoles, LengthAndChannelPositions) {
  auto AST = test::parse(Ops);
  ASSERT_TRUE(AST);
  ApiModel M;
  for (const Decl *D : AST->getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *RD = dyn_cast<RecordDecl>(D))
      for (const FieldDecl *F : RD->fields()) {
        std::string Why;
        std::optional<ApiEntry> E = guessPointerWrite(F, M, Why);
        if (F->getName() == "client_writer") {
          ASSERT_TRUE(E);
          EXPECT_EQ(E->Length, 3);
          EXPECT_EQ(E->Channel, 0);
          EXPECT_EQ(E->Name, "ops::client_writer");
        }
        if (F->getName() == "sendmsgFn") {
          ASSERT_TRUE(E);
          EXPECT_EQ(E->Length, 1);
          EXPECT_EQ(E->Channel, ChannelNone); // the buffer comes first: no handle
        }
      }
}

TEST(PointerRoles, Vocabulary) {
  ApiModel M;
  EXPECT_TRUE(M.namesPointerWrite("conn_write"));
  EXPECT_TRUE(M.namesPointerWrite("xWrite"));
  EXPECT_TRUE(M.namesPointerWrite("client_writer"));
  EXPECT_FALSE(M.namesPointerWrite("write_all"));
  EXPECT_FALSE(M.namesPointerWrite("read_write"));
  EXPECT_FALSE(M.namesPointerWrite("rewrite")); // one word, not "write"
  EXPECT_TRUE(M.namesPointerWrite("mqttwrite"));  // a transport's prefix, then the write word
  EXPECT_TRUE(M.namesPointerWrite("sockwrite"));
  EXPECT_TRUE(M.namesPointerWrite("netsend"));
  EXPECT_TRUE(M.namesPointerWrite("tlsWrite"));
  EXPECT_TRUE(M.namesPointerWrite("bio_tlswrite"));
  EXPECT_FALSE(M.namesPointerWrite("overwrite"));
  EXPECT_FALSE(M.namesPointerWrite("underwrite"));
  EXPECT_FALSE(M.namesPointerWrite("readwrite"));  // names a read as well
  EXPECT_FALSE(M.namesPointerWrite("logwrite"));   // a log sink
  EXPECT_FALSE(M.namesPointerWrite("fullwrite"));  // writes everything
  EXPECT_FALSE(M.namesPointerWrite("mqttread"));
  EXPECT_TRUE(StateVocabulary::mentionsFailure("MOSQ_ERR_NOMEM"));
  EXPECT_TRUE(StateVocabulary::mentionsFailure("EXIT_FAILURE"));
  EXPECT_TRUE(StateVocabulary::mentionsFailure("get_error"));
  EXPECT_FALSE(StateVocabulary::mentionsFailure("STORE_DONE"));
  EXPECT_FALSE(StateVocabulary::mentionsFailure("terrific"));
  EXPECT_TRUE(StateVocabulary::namesLogging("dbgprintf"));
  EXPECT_TRUE(StateVocabulary::namesLogging("log_warn"));
  EXPECT_FALSE(StateVocabulary::namesLogging("close_socket"));
  EXPECT_FALSE(StateVocabulary::namesLogging("catalog_entry")); // words: catalog, entry
  EXPECT_TRUE(StateVocabulary::messageReportsFailure("Error copying data to \"%s\".\n"));
  EXPECT_TRUE(StateVocabulary::messageReportsFailure("unable to open %s"));
  EXPECT_TRUE(StateVocabulary::messageReportsFailure("Cannot write the table"));
  EXPECT_TRUE(StateVocabulary::messageReportsFailure("could not rename %s"));
  EXPECT_TRUE(StateVocabulary::messageReportsFailure("can't create %s"));
  EXPECT_TRUE(StateVocabulary::messageReportsFailure("couldn't flush"));
  EXPECT_FALSE(StateVocabulary::messageReportsFailure("saved %s\n"));
  EXPECT_FALSE(StateVocabulary::messageReportsFailure("could notify %s")); // not "could not"
  EXPECT_FALSE(StateVocabulary::messageReportsFailure("wrote to stderr"));
}

} // namespace
