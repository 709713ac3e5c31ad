import Foundation
import Shared

/// `imgrec model inspect FILE`: what a model file holds, after verifying it.
enum ModelCommand {
    static func run(_ options: CommandLineOptions) throws -> Int32 {
        guard options.positional.first == "inspect", options.positional.count == 2 else {
            throw ConfigurationError(message: "usage: imgrec model inspect FILE")
        }
        Console.line(try ModelFile.inspect(path: options.positional[1]))
        return 0
    }
}
