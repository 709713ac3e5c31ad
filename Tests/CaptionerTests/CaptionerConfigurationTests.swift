import CaptionerService
import Foundation
import Shared
import Testing

/// Start-up settings: defaults, environment fallbacks and the errors that stop the service.
struct CaptionerConfigurationTests {
    private func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> CaptionerConfiguration {
        try CaptionerConfiguration.parse(CommandLineOptions(arguments: arguments, environment: environment))
    }

    @Test func withoutAModelFolderTheEmbeddedEngineIsTheDefault() throws {
        let configuration = try parse([])

        #expect(configuration.engine == "embedded")
        #expect(configuration.engineIsDefault)
        #expect(configuration.port == 8082)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.databasePath == "captioner.sqlite")
        #expect(configuration.summary["engine"] == "embedded (default: no --model-dir given)")
    }

    @Test func flagsWinOverTheEnvironment() throws {
        let environment = ["IMGREC_CAPTIONER_PORT": "9000", "IMGREC_CAPTIONER_DB": "/tmp/env.sqlite"]

        let fromEnvironment = try parse([], environment)
        let fromFlags = try parse(["--port", "9100", "--engine", "embedded", "--db=/tmp/flag.sqlite"], environment)

        #expect(fromEnvironment.port == 9000 && fromEnvironment.databasePath == "/tmp/env.sqlite")
        #expect(fromFlags.port == 9100 && fromFlags.databasePath == "/tmp/flag.sqlite")
        #expect(!fromFlags.engineIsDefault)
        #expect(fromFlags.summary["engine"] == "embedded")
    }

    @Test func vitGPT2WithoutAModelFolderIsAStartUpError() {
        let error = #expect(throws: ConfigurationError.self) { try parse(["--engine", "vit-gpt2"]) }

        #expect(error?.message.contains("--model-dir") == true)
    }

    @Test func aMissingModelFolderIsAStartUpError() {
        let error = #expect(throws: ConfigurationError.self) {
            try parse(["--model-dir", "/nonexistent/model"])
        }

        #expect(error?.message.contains("is not a folder") == true)
    }

    @Test func anUnknownEngineIsAStartUpError() {
        let error = #expect(throws: ConfigurationError.self) { try parse(["--engine", "gpt-9"]) }

        #expect(error?.message.contains("known engines: embedded, vit-gpt2") == true)
    }

    @Test func aModelFolderChoosesTheModelEngine() throws {
        let configuration = try parse(["--model-dir", FileManager.default.temporaryDirectory.path])

        #expect(configuration.engine == "vit-gpt2")
    }

    @Test func theRegistryBuildsTheConfiguredEngine() throws {
        var registry = CaptionEngineRegistry.standard
        registry.register("fixed", needsModelDirectory: false) { _ in CountingEngine() }

        let configuration = try CaptionerConfiguration.parse(
            CommandLineOptions(arguments: ["--engine", "fixed"], environment: [:]), registry: registry)

        #expect(try registry.makeEngine(for: configuration).name == "embedded")
        #expect(try CaptionEngineRegistry.standard.makeEngine(for: CaptionerConfiguration()).name == "embedded")
    }
}
