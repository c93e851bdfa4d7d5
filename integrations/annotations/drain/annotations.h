/*===--- drain/annotations.h - teach drain your own I/O API --------------===*
 *
 * Mark the functions, types and enumerators of your own connection class so drain's checks
 * treat them like the built-in APIs (write/send, fflush, SSL_write, poll_flush, ...). Header
 * only, no dependencies, C and C++. Under Clang the macros become annotate attributes that
 * drain reads; every other compiler (GCC, MSVC) sees nothing, so the header costs nothing
 * there and never warns.
 *
 *   #include <drain/annotations.h>
 *
 *   enum class DRAIN_PENDING_TYPE Flush { Done DRAIN_READY, Later DRAIN_PENDING };
 *
 *   class Connection {
 *   public:
 *     DRAIN_WRITE ssize_t put(const char *data, DRAIN_LENGTH size_t len);
 *     DRAIN_FLUSH Flush push();          // Later: the buffer still holds data
 *     DRAIN_SHUTDOWN int finish();
 *     DRAIN_CLOSE void close();
 *     DRAIN_EMPTY_TEST bool idle() const;
 *     DRAIN_MAY_DISCARD Flush push_hint();  // dropping its result is fine
 *   };
 *   DRAIN_FLUSH int flush_fd(DRAIN_CHANNEL int fd);
 *
 * Where they go: before a function declaration (or after `[[nodiscard]]`, before `virtual`
 * and the return type), after an enumerator's name, after `enum`/`enum class`/`struct`/
 * `class`, and at the start of a parameter declaration. An annotation on a declaration wins
 * over every other source of the model (options, ModelFile, built-in rows); annotating one
 * declaration of a function (or the overridden virtual) is enough. See docs/model-file.md.
 *
 *===----------------------------------------------------------------------===*/
#ifndef DRAIN_ANNOTATIONS_H
#define DRAIN_ANNOTATIONS_H

#if defined(__clang__) && defined(__has_attribute)
#if __has_attribute(annotate)
/* C++17 takes the standard attribute syntax in every position above (C++11/14 only as an
 * extension on enumerators, which -Wpedantic reports); C and older C++ get the GNU spelling,
 * which Clang accepts in the same positions and turns into the same attribute. */
#if defined(__cplusplus) && __cplusplus >= 201703L
#define DRAIN_ANNOTATE_(what) [[clang::annotate(what)]]
#else
#define DRAIN_ANNOTATE_(what) __attribute__((annotate(what)))
#endif
#endif
#endif

#ifndef DRAIN_ANNOTATE_
#define DRAIN_ANNOTATE_(what)
#endif

/* Operations: what a function does to its channel (the object, or the DRAIN_CHANNEL
 * parameter). The meaning of its result is taken from the return type: a pending-carrying
 * enum or class, bool, a byte count (signed integer of a write) or a status. */
#define DRAIN_WRITE DRAIN_ANNOTATE_("drain::write")
#define DRAIN_COMPOSED_WRITE DRAIN_ANNOTATE_("drain::composed_write")
#define DRAIN_FLUSH DRAIN_ANNOTATE_("drain::flush")
#define DRAIN_SYNC DRAIN_ANNOTATE_("drain::sync")
#define DRAIN_SHUTDOWN DRAIN_ANNOTATE_("drain::shutdown")
#define DRAIN_CLOSE DRAIN_ANNOTATE_("drain::close")
#define DRAIN_EMPTY_TEST DRAIN_ANNOTATE_("drain::empty_test")
#define DRAIN_ASYNC_WRITE DRAIN_ANNOTATE_("drain::async_write")
#define DRAIN_ASYNC_SHUTDOWN DRAIN_ANNOTATE_("drain::async_shutdown")
#define DRAIN_CANCEL DRAIN_ANNOTATE_("drain::cancel")

/* Dropping this function's result is fine (a hint, a best-effort flush). */
#define DRAIN_MAY_DISCARD DRAIN_ANNOTATE_("drain::may_discard")

/* States: an enumerator meaning "not finished yet" or "finished", and a type (enum, class,
 * struct) whose values carry such a state even when its enumerators are not named Pending,
 * WouldBlock, Again, ... */
#define DRAIN_PENDING DRAIN_ANNOTATE_("drain::pending")
#define DRAIN_READY DRAIN_ANNOTATE_("drain::ready")
#define DRAIN_PENDING_TYPE DRAIN_ANNOTATE_("drain::pending_type")

/* Parameters: the channel written to, and the requested length of a write (drain-partial-write
 * compares the returned count with it). */
#define DRAIN_CHANNEL DRAIN_ANNOTATE_("drain::channel")
#define DRAIN_LENGTH DRAIN_ANNOTATE_("drain::length")

/* Members of your own connection class: the buffer that holds bytes owed to the peer, and the
 * socket (or handle) whose shutdown/close completes the connection. drain otherwise goes by
 * member names (out_buf_, fd_, ...: see docs/checks/shutdown-before-flush.md). */
#define DRAIN_WRITE_BUFFER DRAIN_ANNOTATE_("drain::write_buffer")
#define DRAIN_SOCKET DRAIN_ANNOTATE_("drain::socket")

#endif /* DRAIN_ANNOTATIONS_H */
