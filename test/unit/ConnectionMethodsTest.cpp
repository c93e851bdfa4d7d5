//===--- ConnectionMethodsTest.cpp - a connection class's declared methods -===//
#include "TestSupport.h"
#include "analysis/core/ApiModel.h"
#include "analysis/flow/ConnectionMethods.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace drain;

namespace {

// Each method is marked with the role its declaration gives it, or [[none]].
const char *Classes = R"cpp(
typedef unsigned long size_t;
struct string { string(const char *); size_t size() const; };
struct SendQueue { size_t size() const; };
struct Handler { int fd; };
struct Socket : Handler {
  void WriteData(const string &d);        // [[write]]
  void send(const char *p, size_t n);     // [[write]]
  void QueueLine(const string &l);        // [[write]]
  void Close();                           // [[close]]
  void closeConnection();                 // [[close]]
  void Shutdown();                        // [[none]]
  void FlushSendQ();                      // [[flush]]
  size_t getSendQSize() const;            // [[empty]]
  bool sendQueueEmpty() const;            // [[empty]]
  bool HasPendingWrites() const;          // [[empty]]
  void Close(bool writeblock);            // [[none]]
  void close(int code);                   // [[none]]
  void CloseAfterWrite();                 // [[none]]
  void closeSoon();                       // [[none]]
  void OnClose();                         // [[none]]
  bool IsClosed() const;                  // [[none]]
  void WriteAll(const string &d);         // [[none]]
  void send_sync(const char *p, size_t n);// [[none]]
  void SendClose();                       // [[none]]
  void Write();                           // [[none]]
  int Write(const char *p, size_t n);     // [[none]]
  void ReadData(string &d);               // [[none]]
  void Kick() { Close(); }                // [[none]]
  size_t Timeout() const;                 // [[none]]
  SendQueue sendq;
};
struct TcpConnection {
  void send(const string &m);             // [[write]]
  void shutdown();                        // [[none]]
  void close();                           // [[none]]
  void forceClose();                      // [[none]]
  string outputBuffer_;
  int sockfd_;
};
struct Plain {
  void Write(const string &d);            // [[none]]
  void Close();                           // [[none]]
  int fd;
};
)cpp";

std::string roleName(const std::optional<ApiEntry> &E) {
  if (!E)
    return "none";
  switch (E->Kind) {
  case OpKind::Write: return "write";
  case OpKind::Close: return "close";
  case OpKind::Shutdown: return "shutdown";
  case OpKind::Flush: return "flush";
  case OpKind::EmptyTest: return "empty";
  default: return "other";
  }
}

TEST(ConnectionMethods, EachMarkedMethodHasItsRole) {
  for (const auto &Std : test::standards()) {
    auto AST = test::parse(Classes, Std);
    ASSERT_TRUE(AST);
    ApiModel M;
    ConnectionMethods Source;
    ASTContext &Ctx = AST->getASTContext();
    const SourceManager &SM = Ctx.getSourceManager();
    unsigned Seen = 0;
    for (const char *Role : {"write", "close", "flush", "empty", "none"}) {
      std::set<unsigned> Lines = test::markedLines(Classes, Role);
      for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
        const auto *RD = dyn_cast<CXXRecordDecl>(D);
        if (!RD || !RD->isThisDeclarationADefinition())
          continue;
        for (const CXXMethodDecl *MD : RD->methods()) {
          if (MD->isImplicit() || !Lines.count(SM.getSpellingLineNumber(MD->getLocation())))
            continue;
          std::optional<ApiEntry> E = Source.guess(MD, M);
          EXPECT_EQ(roleName(E), Role) << RD->getName().str() << "::" << MD->getNameAsString()
                                       << " (" << Std << ")";
          if (E) {
            EXPECT_EQ(E->Channel, ChannelImplicitObject);
            EXPECT_EQ(E->Origin, RowOrigin::Inferred);
            EXPECT_EQ(E->Family, DeclaredMethodFamily);
          }
          ++Seen;
        }
      }
    }
    EXPECT_EQ(Seen, 30u) << Std;
  }
}

TEST(ConnectionMethods, RoleForIsMemoizedPerDeclaration) {
  auto AST = test::parse(Classes);
  ASSERT_TRUE(AST);
  ApiModel M;
  ConnectionMethods Source;
  for (const Decl *D : AST->getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
      for (const CXXMethodDecl *MD : RD->methods())
        if (MD->getIdentifier() && MD->getName() == "WriteData") {
          const ApiEntry *A = Source.roleFor(MD, M);
          ASSERT_TRUE(A);
          EXPECT_EQ(A, Source.roleFor(MD, M));
          EXPECT_EQ(A->Name, "Socket::WriteData");
        }
}

} // namespace
