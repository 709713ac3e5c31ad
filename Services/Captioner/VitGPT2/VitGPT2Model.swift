import Foundation
import Tensors

/// A ViT-GPT2 image captioning model (transformers' `VisionEncoderDecoderModel` with a ViT encoder and a GPT-2
/// decoder, such as nlpconnect/vit-gpt2-image-captioning), loaded once from a Hugging Face model folder and run
/// natively on OpenBLAS.
///
/// The folder needs `config.json`, `preprocessor_config.json`, `model.safetensors` (F32, F16 or BF16) and
/// `vocab.json`; `generation_config.json`, `tokenizer_config.json` and `special_tokens_map.json` are read when
/// present. The weights are immutable after loading, so any number of threads may caption at once; each call
/// keeps its own decoding state.
public final class VitGPT2Model: Sendable {
    /// The architecture and token settings.
    public let configuration: VitGPT2Configuration
    /// The image preprocessing.
    public let preprocessor: ImagePreprocessor
    /// The token-to-text decoder.
    public let tokenizer: ByteLevelBPEDecoder
    /// The folder the model was loaded from.
    public let directory: URL
    /// The weights file, `model.safetensors` in `directory`.
    public var weightsPath: String { directory.appendingPathComponent("model.safetensors").path }

    private let encoder: ViTEncoder
    private let decoder: GPT2Decoder

    /// Loads the model folder at `directory`, checking every tensor's shape against the configuration.
    ///
    /// - Throws: `VitGPT2Error` naming the file (and the tensor or setting) that is missing or inconsistent.
    public init(directory: URL) throws {
        self.directory = directory
        let configuration = try VitGPT2Configuration(directory: directory)
        self.configuration = configuration
        preprocessor = try ImagePreprocessor(directory: directory)
        tokenizer = try ByteLevelBPEDecoder(
            directory: directory,
            specialIDs: [
                configuration.endTokenID, configuration.decoderStartTokenID, configuration.padTokenID,
            ])

        let encoderShape = configuration.encoder
        guard preprocessor.width == encoderShape.imageSize, preprocessor.height == encoderShape.imageSize else {
            throw VitGPT2Error(
                .inconsistentModel,
                "\(directory.path)/preprocessor_config.json: size "
                    + "\(preprocessor.width)x\(preprocessor.height) differs from the encoder's image_size "
                    + "\(encoderShape.imageSize)")
        }
        guard encoderShape.hiddenSize == configuration.decoder.hiddenSize else {
            // TODO: models with differing widths add an `enc_to_dec_proj` linear layer; not implemented.
            throw VitGPT2Error(
                .unsupported,
                "\(directory.path)/config.json: encoder hidden_size "
                    + "\(encoderShape.hiddenSize) differs from decoder n_embd " + "\(configuration.decoder.hiddenSize)")
        }

        // The engine splits its products between cores itself; OpenBLAS's own threads would spin between calls
        // and compete with those workers. This setting is process-wide.
        BLAS.threadCount = 1
        let weights = try Self.openWeights(directory)
        encoder = try ViTEncoder(weights: weights, configuration: encoderShape)
        decoder = try GPT2Decoder(weights: weights, configuration: configuration.decoder)
    }

    private static func openWeights(_ directory: URL) throws -> WeightReader {
        let path = directory.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: path) else {
            let binary = directory.appendingPathComponent("pytorch_model.bin").path
            if FileManager.default.fileExists(atPath: binary) {
                throw VitGPT2Error(
                    .missingFile,
                    "\(path): not found; convert \(binary) once with "
                        + "`python3 scripts/convert_pytorch_bin.py \(directory.path)`")
            }
            throw VitGPT2Error(.missingFile, "\(path): file not found")
        }
        return try WeightReader(path: path)
    }

    /// The preprocessed model input for interleaved RGB8 pixels, `[3, size, size]`.
    public func pixelValues(rgb: [UInt8], width: Int, height: Int) throws -> [Float] {
        try preprocessor.pixelValues(rgb: rgb, width: width, height: height)
    }

    /// The encoder's last hidden state for preprocessed pixel values, `[patches + 1, hidden]`.
    public func encode(pixelValues: [Float]) throws -> Matrix {
        let size = configuration.encoder.imageSize
        guard pixelValues.count == 3 * size * size else {
            throw VitGPT2Error(
                .invalidInput,
                "pixel values must hold 3x\(size)x\(size) floats, got \(pixelValues.count)")
        }
        return encoder.encode(pixelValues: pixelValues)
    }

    /// The decoder's logits for every position of `tokens` (teacher forcing), `[tokens.count, vocabulary]`.
    public func logits(tokens: [Int], encoderStates: Matrix) throws -> Matrix {
        try validate(tokens: tokens, length: tokens.count)
        let cross = decoder.crossStates(encoderStates: encoderStates)
        var cache = GPT2Decoder.Cache(blocks: configuration.decoder.layers, beams: 1)
        var rows: [Float] = []
        for token in tokens {
            rows += decoder.step(tokens: [token], cache: &cache, cross: cross).values
        }
        return Matrix(rows: tokens.count, columns: configuration.decoder.vocabularySize, values: rows)
    }

    /// Captions interleaved RGB8 pixels (EXIF orientation already applied): preprocessing, encoder, and greedy or
    /// beam search with `options` (the configuration's defaults when `nil`).
    public func generate(
        rgb: [UInt8], width: Int, height: Int,
        options: GenerationOptions? = nil
    ) throws -> Generation {
        let states = try encode(pixelValues: try pixelValues(rgb: rgb, width: width, height: height))
        return try generate(encoderStates: states, options: options)
    }

    /// Generates a caption from encoder states, as `generate` does after the encoder.
    // TODO: caption several images per call, their beams decoded in one step: decoder steps are memory-bound, so
    // one pass over the weights could serve all of them. Needs the searches as steppers and per-row cross states.
    public func generate(encoderStates: Matrix, options: GenerationOptions? = nil) throws -> Generation {
        let options = options ?? configuration.defaults
        try validate(options)
        let cross = decoder.crossStates(encoderStates: encoderStates)
        var cache = GPT2Decoder.Cache(blocks: configuration.decoder.layers, beams: 1)
        let advance: TokenSearch.Advance = { [decoder] sources, tokens in
            if cache.keys.first?.count != sources.count || sources != Array(sources.indices) {
                cache.reorder(sources)
            }
            return decoder.step(tokens: tokens, cache: &cache, cross: cross)
        }
        let start = configuration.decoderStartTokenID
        let end = configuration.endTokenID
        let tokens =
            options.numBeams == 1
            ? TokenSearch.greedy(start: start, end: end, maxLength: options.maxLength, advance: advance)
            : TokenSearch.beam(start: start, end: end, options: options, advance: advance)
        return Generation(tokenIDs: tokens, text: tokenizer.decode(tokens))
    }

    /// Checks that `options` suit this model (beams, a maximum length within the position embeddings).
    /// - Throws: `VitGPT2Error.invalidInput` saying which setting is out of range.
    public func validate(_ options: GenerationOptions) throws {
        guard options.numBeams >= 1, 2 * options.numBeams <= configuration.decoder.vocabularySize else {
            throw VitGPT2Error(.invalidInput, "num_beams must be between 1 and half the vocabulary")
        }
        guard options.maxLength >= 2, options.maxLength <= configuration.decoder.positions else {
            throw VitGPT2Error(
                .invalidInput,
                "max_length must be between 2 and \(configuration.decoder.positions) (n_positions)")
        }
        guard options.lengthPenalty.isFinite else {
            throw VitGPT2Error(.invalidInput, "length_penalty must be finite")
        }
    }

    private func validate(tokens: [Int], length: Int) throws {
        guard length <= configuration.decoder.positions,
            tokens.allSatisfy({ (0..<configuration.decoder.vocabularySize).contains($0) })
        else {
            throw VitGPT2Error(.invalidInput, "tokens must be vocabulary ids, at most n_positions of them")
        }
    }
}

/// A generated caption: the token ids (starting with the decoder start token) and their text.
public struct Generation: Sendable, Equatable {
    /// The generated ids, decoder start token first, end token last unless `maxLength` cut the sequence.
    public let tokenIDs: [Int]
    /// The decoded text, special tokens skipped, not trimmed or otherwise cleaned.
    public let text: String

    /// Creates a generation from ids and text.
    public init(tokenIDs: [Int], text: String) {
        self.tokenIDs = tokenIDs
        self.text = text
    }
}
