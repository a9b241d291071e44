// Output that must not wait in a buffer.
import Foundation

/// Prints `line` and flushes it at once, even when standard output is a pipe (where it is
/// otherwise held back until the buffer fills): for what another program or a person must see
/// while the example is still running, such as a publish ID or a URL to open.
public func printNow(_ line: String) {
    print(line)
    fflush(nil)   // every output stream, stdout included; `stdout` itself is not concurrency-safe
}
