/// A flag or environment value that is missing or invalid. Executables print the message and exit with 2.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the flag and, where one was used, the environment variable.
    public let message: String

    /// Creates an error with the message shown to the operator.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String {
        message
    }
}
