import Foundation
import Testing

@testable import Shared

@Suite struct SHA256Tests {
    @Test func matchesKnownVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.digest(Array("abc".utf8)).count == 32)
    }
}

@Suite struct CommandLineOptionsTests {
    @Test func readsFlagsInBothFormsAndPositionals() throws {
        let options = CommandLineOptions(
            arguments: ["search", "--port", "9000", "--host=0.0.0.0", "--verbose", "two dogs", "--", "--literal"],
            environment: [:], switches: ["verbose"])

        #expect(try options.int("port", default: 1, range: 1...65535) == 9000)
        #expect(options.string("--host") == "0.0.0.0")
        #expect(options.flag("verbose"))
        #expect(!options.flag("quiet"))
        #expect(options.positional == ["search", "two dogs", "--literal"])
    }

    @Test func fallsBackToTheEnvironmentThenTheDefault() throws {
        let environment = ["IMGREC_SAMPLER_PORT": "8181", "IMGREC_SAMPLER_ROOTS": "/data"]
        let options = CommandLineOptions(arguments: ["--roots", "/images"], environment: environment)

        #expect(try options.int("port", env: "IMGREC_SAMPLER_PORT", default: 8081, range: 1...65535) == 8181)
        #expect(options.string("roots", env: "IMGREC_SAMPLER_ROOTS") == "/images")
        #expect(options.string("host", env: "IMGREC_SAMPLER_HOST", default: "127.0.0.1") == "127.0.0.1")
        #expect(options.string("missing") == nil)
        #expect(try options.double("ratio", default: 0.5, range: 0...1) == 0.5)
    }

    @Test func rejectsBadNumbersWithClearMessages() {
        let options = CommandLineOptions(arguments: ["--port", "70000", "--threads", "many"], environment: ["P": "0"])

        #expect(throws: ConfigurationError(message: "--port must be between 1 and 65535, got 70000")) {
            try options.int("port", default: 8081, range: 1...65535)
        }
        #expect(throws: ConfigurationError(message: "--threads must be an integer, got 'many'")) {
            try options.int("threads", default: 4, range: 1...64)
        }
        #expect(throws: ConfigurationError(message: "P (environment) must be between 1 and 9, got 0")) {
            try options.int("other", env: "P", default: 1, range: 1...9)
        }
    }

    @Test func refusesUnknownFlagsAndFlagsWithoutTheirValue() throws {
        let known = ["port", "roots"]
        try CommandLineOptions(arguments: ["--port", "1", "--verbose", "x.jpg"], switches: ["verbose"])
            .validate(flags: known, switches: ["verbose"])

        #expect(throws: ConfigurationError(message: "unknown flag --bogus; known flags: --port, --roots")) {
            try CommandLineOptions(arguments: ["--port", "1", "--bogus"]).validate(flags: known)
        }
        #expect(throws: ConfigurationError(message: "--port needs a value")) {
            try CommandLineOptions(arguments: ["--roots", "/x", "--port"]).validate(flags: known)
        }
        #expect(throws: ConfigurationError(message: "--roots needs a value")) {
            try CommandLineOptions(arguments: ["--roots=", "--port", "2"]).validate(flags: known)
        }
    }
}

@Suite struct QueryStringTests {
    @Test func decodesPlusAndPercentEscapes() {
        let parsed = QueryString.parse("q=two+dogs&e=%C3%A9&flag&bad=%ZZ&=x")
        #expect(parsed == ["q": "two dogs", "e": "é", "flag": "", "bad": "%ZZ"])
        #expect(QueryString.decode(QueryString.encode("a+b c/é?&=")) == "a+b c/é?&=")
    }
}

@Suite struct LoggerTests {
    @Test func writesJSONLinesWithMetadataAndDropsLowerLevels() {
        let lines = LogLines()
        let logger = Logger(label: "sampler", level: .info, sink: { lines.append($0) })

        logger.debug("hidden")
        logger.error("scan failed", ["request_id": "r1", "path": "a\"b\n"])

        #expect(lines.all.count == 1)
        let line = lines.all[0]
        #expect(line.hasPrefix("{\"ts\":"))
        #expect(line.contains(#""level":"error","label":"sampler","message":"scan failed""#))
        #expect(line.contains(#""path":"a\"b\n","request_id":"r1""#))
        #expect(Logger.Level.debug < .warning)
    }
}
