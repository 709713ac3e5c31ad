import Foundation
import ImgrecCommands

exit(ImgrecCLI.run(Array(CommandLine.arguments.dropFirst())))
