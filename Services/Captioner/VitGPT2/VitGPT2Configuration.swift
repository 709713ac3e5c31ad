import Foundation

/// The architecture and token settings of a ViT-GPT2 model folder, read from `config.json` (with its `encoder`
/// and `decoder` sections) and, when present, `generation_config.json`.
public struct VitGPT2Configuration: Sendable, Equatable {
    /// The ViT encoder's shape.
    public struct Encoder: Sendable, Equatable {
        /// Width of the hidden states.
        public var hiddenSize: Int
        /// Number of transformer blocks.
        public var layers: Int
        /// Number of attention heads.
        public var heads: Int
        /// Width of the MLP's hidden layer.
        public var intermediateSize: Int
        /// Side of the square input image, in pixels.
        public var imageSize: Int
        /// Side of one square patch, in pixels.
        public var patchSize: Int
        /// Colour channels of the input (3).
        public var channels: Int
        /// Layer norm epsilon.
        public var layerNormEpsilon: Float

        /// Patches per image, without the CLS token.
        public var patchCount: Int { (imageSize / patchSize) * (imageSize / patchSize) }
    }

    /// The GPT-2 decoder's shape.
    public struct Decoder: Sendable, Equatable {
        /// Vocabulary size.
        public var vocabularySize: Int
        /// Longest sequence the position embeddings cover.
        public var positions: Int
        /// Width of the hidden states.
        public var hiddenSize: Int
        /// Number of transformer blocks.
        public var layers: Int
        /// Number of attention heads.
        public var heads: Int
        /// Width of the MLP's hidden layer.
        public var innerSize: Int
        /// Layer norm epsilon.
        public var layerNormEpsilon: Float
    }

    /// The encoder section.
    public var encoder: Encoder
    /// The decoder section.
    public var decoder: Decoder
    /// The token every generated sequence starts with.
    public var decoderStartTokenID: Int
    /// The end-of-sequence token.
    public var endTokenID: Int
    /// The padding token.
    public var padTokenID: Int
    /// Default generation settings: the original pipeline's 4 beams and max length 16, with the checkpoint's own
    /// `length_penalty` and `early_stopping` (which the original did not override).
    public var defaults: GenerationOptions

    /// Reads `config.json` and the optional `generation_config.json` in `directory` and checks that the model is
    /// the supported variant.
    public init(directory: URL) throws {
        let config = try JSONObject(contentsOf: directory.appendingPathComponent("config.json"))
        let encoderSection = try config.object("encoder")
        let decoderSection = try config.object("decoder")
        encoder = try Self.parseEncoder(encoderSection)
        decoder = try Self.parseDecoder(decoderSection)

        let generationURL = directory.appendingPathComponent("generation_config.json")
        let generation =
            FileManager.default.fileExists(atPath: generationURL.path)
            ? try JSONObject(contentsOf: generationURL) : nil
        func token(_ key: String) throws -> Int? {
            try generation?.optionalInt(key) ?? config.optionalInt(key) ?? decoderSection.optionalInt(key)
        }
        guard let end = try token("eos_token_id") else {
            throw VitGPT2Error(.malformedFile, "\(config.file): no 'eos_token_id' here or in the decoder section")
        }
        endTokenID = end
        decoderStartTokenID = try token("decoder_start_token_id") ?? token("bos_token_id") ?? end
        padTokenID = try token("pad_token_id") ?? end
        for (name, id) in [("eos", endTokenID), ("decoder start", decoderStartTokenID), ("pad", padTokenID)]
        where !(0..<decoder.vocabularySize).contains(id) {
            throw VitGPT2Error(
                .inconsistentModel,
                "\(config.file): \(name) token \(id) is outside the " + "vocabulary of \(decoder.vocabularySize)")
        }
        defaults = try Self.parseDefaults(generation: generation, config: config)
    }

    private static func parseEncoder(_ section: JSONObject) throws -> Encoder {
        let modelType = try section.string("model_type", default: "vit")
        guard modelType == "vit" else {
            throw VitGPT2Error(.unsupported, "\(section.file): encoder model_type '\(modelType)' is not 'vit'")
        }
        let activation = try section.string("hidden_act", default: "gelu")
        guard activation == "gelu" else {
            throw VitGPT2Error(.unsupported, "\(section.file): encoder hidden_act '\(activation)' is not 'gelu'")
        }
        guard try section.bool("qkv_bias", default: true) else {
            throw VitGPT2Error(.unsupported, "\(section.file): encoder without qkv_bias is not supported")
        }
        let encoder = Encoder(
            hiddenSize: try section.int("hidden_size", default: 768),
            layers: try section.int("num_hidden_layers", default: 12),
            heads: try section.int("num_attention_heads", default: 12),
            intermediateSize: try section.int("intermediate_size", default: 3072),
            imageSize: try section.int("image_size", default: 224),
            patchSize: try section.int("patch_size", default: 16),
            channels: try section.int("num_channels", default: 3),
            layerNormEpsilon: Float(try section.double("layer_norm_eps", default: 1e-12))
        )
        guard encoder.heads > 0, encoder.hiddenSize % encoder.heads == 0, encoder.patchSize > 0,
            encoder.imageSize % encoder.patchSize == 0, encoder.channels == 3
        else {
            throw VitGPT2Error(
                .inconsistentModel,
                "\(section.file): encoder sizes do not fit together (hidden_size, heads, image, patch)")
        }
        return encoder
    }

    private static func parseDecoder(_ section: JSONObject) throws -> Decoder {
        let modelType = try section.string("model_type", default: "gpt2")
        guard modelType == "gpt2" else {
            throw VitGPT2Error(.unsupported, "\(section.file): decoder model_type '\(modelType)' is not 'gpt2'")
        }
        let activation = try section.string("activation_function", default: "gelu_new")
        guard ["gelu_new", "gelu_pytorch_tanh"].contains(activation) else {
            throw VitGPT2Error(.unsupported, "\(section.file): decoder activation '\(activation)' is not supported")
        }
        guard try section.bool("add_cross_attention", default: false) else {
            throw VitGPT2Error(.unsupported, "\(section.file): the decoder has no cross-attention")
        }
        guard try section.bool("scale_attn_weights", default: true),
            !(try section.bool("scale_attn_by_inverse_layer_idx", default: false))
        else {
            throw VitGPT2Error(.unsupported, "\(section.file): only GPT-2's default attention scaling is supported")
        }
        let hidden = try section.int("n_embd", default: 768)
        let decoder = Decoder(
            vocabularySize: try section.int("vocab_size", default: 50257),
            positions: try section.int("n_positions", default: 1024),
            hiddenSize: hidden,
            layers: try section.int("n_layer", default: 12),
            heads: try section.int("n_head", default: 12),
            innerSize: try section.int("n_inner", default: 4 * hidden),
            layerNormEpsilon: Float(try section.double("layer_norm_epsilon", default: 1e-5))
        )
        guard decoder.heads > 0, decoder.hiddenSize % decoder.heads == 0, decoder.vocabularySize > 0 else {
            throw VitGPT2Error(.inconsistentModel, "\(section.file): decoder n_embd does not split into n_head heads")
        }
        return decoder
    }

    private static func parseDefaults(generation: JSONObject?, config: JSONObject) throws -> GenerationOptions {
        var options = GenerationOptions()
        for source in [config, generation].compactMap({ $0 }) {
            options.lengthPenalty = Float(try source.double("length_penalty", default: Double(options.lengthPenalty)))
            if case .string("never")? = source.members["early_stopping"] {
                options.earlyStopping = .never
            } else if source.has("early_stopping") {
                options.earlyStopping = try source.bool("early_stopping", default: false) ? .enabled : .heuristic
            }
        }
        return options
    }
}
