import Shared

/// The engines the captioner can be started with, by name, and how to build each from the configuration.
public struct CaptionEngineRegistry: Sendable {
    /// Builds an engine for a configuration; throws `ConfigurationError` when the configuration is unusable.
    public typealias Factory = @Sendable (CaptionerConfiguration) throws -> any CaptionEngine

    private struct Entry: Sendable {
        var needsModelDirectory: Bool
        var factory: Factory
    }

    private var entries: [String: Entry] = [:]

    /// The engine chosen when a model folder is given without `--engine`.
    public var defaultModelEngine = "vit-gpt2"

    /// An empty registry.
    public init() {}

    /// The standard engines: `embedded`, and `vit-gpt2` (which needs `--model-dir`).
    public static var standard: CaptionEngineRegistry {
        var registry = CaptionEngineRegistry()
        registry.register(EmbeddedEngine.engineName, needsModelDirectory: false) { _ in EmbeddedEngine() }
        registry.register("vit-gpt2", needsModelDirectory: true) { _ in
            // TODO: build the ViT-GPT2 engine from the VitGPT2 target once it provides a model loader.
            throw ConfigurationError(
                message: "engine 'vit-gpt2' is not available in this build yet; use --engine embedded")
        }
        return registry
    }

    /// Adds or replaces the engine called `name`.
    public mutating func register(_ name: String, needsModelDirectory: Bool, factory: @escaping Factory) {
        entries[name] = Entry(needsModelDirectory: needsModelDirectory, factory: factory)
    }

    /// The registered engine names.
    public var names: Set<String> {
        Set(entries.keys)
    }

    /// Whether the engine called `name` needs a model folder.
    public func needsModelDirectory(_ name: String) -> Bool {
        entries[name]?.needsModelDirectory ?? false
    }

    /// Builds the engine the configuration names.
    /// - Throws: `ConfigurationError` for an unknown engine or one that cannot be built from the settings.
    public func makeEngine(for configuration: CaptionerConfiguration) throws -> any CaptionEngine {
        guard let entry = entries[configuration.engine] else {
            throw ConfigurationError(message: "unknown engine '\(configuration.engine)'")
        }
        return try entry.factory(configuration)
    }
}
