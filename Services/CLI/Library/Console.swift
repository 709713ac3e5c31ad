import Foundation

/// Writes lines to standard output unbuffered, so that progress shows as it happens also when the
/// output is a pipe or a file (Swift's `print` buffers those).
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
