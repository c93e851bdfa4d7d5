//===--- ApiModelTest.cpp - the API table, its names and its extensions ---===//
#include "TestSupport.h"
#include "analysis/core/ApiModel.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/Decl.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace drain;
using drain::test::findFunction;
using drain::test::parse;

namespace {

const char *Decls = R"cpp(
extern "C" long send(int, const void *, unsigned long, int);
extern "C" int shutdown(int, int);
namespace boost { namespace asio {
  template <class S, class B> unsigned long write(S &, const B &);
  template <class P> class basic_socket { public: void close(); };
  template <class P> class basic_stream_socket : public basic_socket<P> {
  public: template <class B> unsigned long write_some(const B &); };
} }
namespace mine { long send(int, const void *, unsigned long, int); }
enum class Poll { Ready, Pending };
struct Conn {
  Poll poll_flush();
  Poll poll_shutdown();
  bool flush_ok();
  Conn &flush();                        // ostream-like: not a flush row
  [[clang::annotate("drain::flush")]] int push_out();
  [[clang::annotate("drain::may_discard")]] Poll poll_flush_hint();
};
void use() {
  boost::asio::basic_stream_socket<int> s; int b = 0;
  s.write_some(b); s.close(); boost::asio::write(s, b);
}
)cpp";

TEST(ApiModelTest, BuiltInRowsMatchByQualifiedName) {
  for (const auto &Std : test::standards()) {
    auto AST = parse(Decls, Std);
    ASSERT_TRUE(AST);
    ApiModel M;
    auto &Ctx = AST->getASTContext();
    ApiOp Send = M.lookup(findFunction(Ctx, "send"));
    ASSERT_TRUE(Send);
    EXPECT_EQ(Send.kind(), OpKind::Write);
    EXPECT_EQ(Send.result(), ResultKind::ByteCount);
    EXPECT_EQ(Send.Entry->Length, 2);
    // A namespaced function of the same name is not POSIX send.
    EXPECT_FALSE(M.lookup(findFunction(Ctx, "mine::send")));
    EXPECT_EQ(M.lookup(findFunction(Ctx, "shutdown")).kind(), OpKind::Shutdown);
  }
}

TEST(ApiModelTest, SmartPointerResetDestroysWhatItHolds) {
  auto AST = parse(R"cpp(
namespace std {
template <class T> struct unique_ptr { void reset(T * = nullptr); T *operator->() const; };
template <class T> struct __shared_ptr { void reset(); };
template <class T> struct shared_ptr : __shared_ptr<T> {};
}
namespace mine { template <class T> struct handle { void reset(); }; }
struct W {};
void use(std::unique_ptr<W> &U, std::shared_ptr<W> &S, mine::handle<W> &H) {
  U.reset(); S.reset(); H.reset();
}
)cpp");
  ASSERT_TRUE(AST);
  ApiModel M;
  auto &Ctx = AST->getASTContext();
  ApiOp U = M.lookup(findFunction(Ctx, "std::unique_ptr::reset"));
  ASSERT_TRUE(U);
  EXPECT_EQ(U.kind(), OpKind::Destroy);
  EXPECT_EQ(U.Entry->Channel, ChannelImplicitObject);
  ApiOp S = M.lookup(findFunction(Ctx, "std::__shared_ptr::reset"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S.kind(), OpKind::Destroy);
  // A project's own handle is not known to own anything.
  EXPECT_FALSE(M.lookup(findFunction(Ctx, "mine::handle::reset")));
  EXPECT_EQ(ApiModel::parseKind("destroy"), OpKind::Destroy);
  EXPECT_EQ(ApiModel::kindName(OpKind::Destroy), "destroy");
}

TEST(ApiModelTest, PendingRowsNeedAPendingResult) {
  auto AST = parse(Decls);
  ASSERT_TRUE(AST);
  ApiModel M;
  auto &Ctx = AST->getASTContext();
  const FunctionDecl *PF = findFunction(Ctx, "Conn::poll_flush");
  ApiOp Op = M.lookup(PF);
  ASSERT_TRUE(Op);
  EXPECT_EQ(Op.kind(), OpKind::Flush);
  EXPECT_EQ(effectiveResultKind(Op, PF, M), ResultKind::PendingState);
  // Conn& flush() is a row by name, but its result carries no pending state.
  const FunctionDecl *F = findFunction(Ctx, "Conn::flush");
  EXPECT_FALSE(effectiveResultKind(M.lookup(F), F, M).has_value());
}

TEST(ApiModelTest, AnnotationsDefineRows) {
  auto AST = parse(Decls);
  ASSERT_TRUE(AST);
  ApiModel M;
  auto &Ctx = AST->getASTContext();
  const FunctionDecl *P = findFunction(Ctx, "Conn::push_out");
  ApiOp Op = M.lookup(P);
  ASSERT_TRUE(Op);
  EXPECT_EQ(Op.kind(), OpKind::Flush);
  EXPECT_EQ(Op.Entry->Origin, RowOrigin::Annotation);
  EXPECT_EQ(Op.Entry->Channel, ChannelImplicitObject);
  EXPECT_EQ(effectiveResultKind(Op, P, M), ResultKind::Status);
  EXPECT_TRUE(M.mayDiscard(findFunction(Ctx, "Conn::poll_flush_hint")));
  EXPECT_FALSE(M.mayDiscard(findFunction(Ctx, "Conn::poll_flush")));
}

TEST(ApiModelTest, OnlyResultLikeRecordsCarryPending) {
  const char *Code = R"cpp(
#include <memory>
#include <optional>
#include <vector>
enum class Poll { Ready, Pending };
struct PollResult { Poll state; unsigned long n; };            // a result
template <class T> struct Result { Poll p; T value; };          // a result template
class Connection {                                               // stores a Poll; not a result
public:
  ~Connection();
  Poll poll_flush();
private:
  int fd_ = -1; Poll final_ = Poll::Pending;
};
PollResult a();
Result<int> b();
std::optional<Poll> c();
Connection &d();
std::unique_ptr<Connection> e();
std::vector<Poll> f();
PollResult &g();
PollResult h();
)cpp";
  for (const auto &Std : test::standards()) {
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    ApiModel M;
    auto &Ctx = AST->getASTContext();
    auto Carries = [&](const char *Fn) {
      return classifyResultType(findFunction(Ctx, Fn)->getReturnType(), M).carriesPending();
    };
    EXPECT_TRUE(Carries("a"));
    EXPECT_TRUE(Carries("b"));
    EXPECT_TRUE(Carries("c"));
    EXPECT_FALSE(Carries("d")) << "a connection that stores a Poll is not a result";
    EXPECT_FALSE(Carries("e")) << "unique_ptr<Connection> is not a result";
    EXPECT_FALSE(Carries("f"));
    // operator= returns *this: a reference to an object whose state is still there.
    EXPECT_FALSE(Carries("g"));
    EXPECT_TRUE(Carries("h"));
  }
}

TEST(ApiModelTest, PendingVocabulary) {
  StateVocabulary V = StateVocabulary::builtIn();
  for (const char *N : {"Pending", "kPending", "WouldBlock", "would_block", "FLUSH_PENDING",
                        "EAGAIN", "InProgress", "Partial", "Incomplete"})
    EXPECT_TRUE(V.isPending(N)) << N;
  for (const char *N : {"Ready", "kDone", "Complete", "OK", "Flushed"})
    EXPECT_TRUE(V.isReady(N)) << N;
  for (const char *N : {"Ready", "Error", "Request", "Pendulum"})
    EXPECT_FALSE(V.isPending(N)) << N;
}

TEST(ApiModelTest, ModelFileAddsRowsAndReportsErrors) {
  ApiModel M;
  std::string Err;
  EXPECT_TRUE(M.loadModelYAML(R"(
version: 1
functions:
  - name: "myproto::Conn::send_frame"
    kind: write
    result: byte_count
    channel: this
    length: 1
pending_states: [Stalled]
)", "m.yaml", Err)) << Err;
  EXPECT_TRUE(M.vocabulary().isPending("Stalled"));
  bool Found = false;
  for (const auto &E : M.entries())
    Found |= E.Name == "myproto::Conn::send_frame" && E.Kind == OpKind::Write &&
             E.Origin == RowOrigin::ModelFile && E.Length == 1;
  EXPECT_TRUE(Found);

  EXPECT_FALSE(M.loadModelYAML("functions:\n  - name: x\n    kind: explode\n", "bad.yaml", Err));
  EXPECT_NE(Err.find("unknown kind 'explode'"), std::string::npos) << Err;
  EXPECT_FALSE(M.loadModelYAML("functions: [", "broken.yaml", Err));
  EXPECT_NE(Err.find("malformed model file"), std::string::npos) << Err;
}

TEST(ApiModelTest, MissingModelFileIsAnError) {
  ApiModelOptions O;
  O.ModelFile = "/nonexistent/drain-model.yaml";
  std::vector<std::string> Errors;
  ApiModel M(O, Errors);
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_NE(Errors[0].find("cannot read model file"), std::string::npos);
}

TEST(ApiModelTest, NameMatching) {
  EXPECT_TRUE(ApiModel::nameMatches("::write", "write", true));
  EXPECT_FALSE(ApiModel::nameMatches("::write", "write", false));
  EXPECT_TRUE(ApiModel::nameMatches("asio::write", "boost::asio::write", false));
  EXPECT_FALSE(ApiModel::nameMatches("asio::write", "myasio::write", false));
  EXPECT_TRUE(ApiModel::nameMatches("poll_flush", "a::b::Conn::poll_flush", false));
}

} // namespace
