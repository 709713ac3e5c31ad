import Foundation
import Imaging
import Shared
import VitGPT2

/// The `vit-gpt2` engine: a ViT-GPT2 captioning model (such as nlpconnect/vit-gpt2-image-captioning) run
/// natively from a Hugging Face model folder, with beam search as the original pipeline ran it.
///
/// The model is loaded once; its weights are read-only, so concurrent requests caption in parallel.
public struct VitGPT2Engine: CaptionEngine {
    /// The engine name, `vit-gpt2`.
    public static let engineName = "vit-gpt2"

    /// The engine name, `vit-gpt2`.
    public var name: String { Self.engineName }
    /// The model folder's name, a checksum of its weights and the search settings; captions cached for
    /// another model or other settings are never reused.
    public let modelDescription: String
    /// The model only looks at the pixels.
    public var readsSidecar: Bool { false }

    /// The loaded model.
    public let model: VitGPT2Model
    /// The search settings every caption uses.
    public let options: GenerationOptions
    private let decoder: ImageDecoder

    /// Loads the model folder at `directory`.
    /// - Throws: `ConfigurationError` naming the file (and tensor or setting) that cannot be used.
    public init(directory: URL, options: GenerationOptions, maxPixels: Int = ImageDecoder.defaultMaxPixels) throws {
        do {
            model = try VitGPT2Model(directory: directory)
            let checksum = try Self.weightsChecksum(model.weightsPath)
            modelDescription =
                "\(directory.standardizedFileURL.lastPathComponent) weights:\(checksum.prefix(16)) "
                + "beams:\(options.numBeams) max_length:\(options.maxLength)"
            try model.validate(options)
        } catch let error as VitGPT2Error {
            throw ConfigurationError(message: "cannot load the vit-gpt2 model: \(error.message)")
        }
        self.options = options
        decoder = ImageDecoder(maxPixels: maxPixels)
    }

    /// Builds the engine from the captioner's settings (`--model-dir`, `--beams`, `--max-length`).
    /// - Throws: `ConfigurationError` for a missing folder or a model that fails to load.
    public init(configuration: CaptionerConfiguration) throws {
        guard let directory = configuration.modelDirectory else {
            throw ConfigurationError(message: "engine '\(Self.engineName)' needs --model-dir DIR")
        }
        try self.init(
            directory: URL(fileURLWithPath: directory),
            options: GenerationOptions(numBeams: configuration.numBeams, maxLength: configuration.maxLength),
            maxPixels: configuration.maxPixels)
    }

    /// Decodes the image upright (EXIF orientation applied) and generates its caption.
    /// - Throws: `ServiceError` 415/422 for an image that cannot be decoded.
    public func caption(_ input: CaptionInput) throws -> EngineCaption {
        let image: RGBImage
        do {
            image = try decoder.decode(input.image, exifOrientation: MetadataReader.orientation(of: input.image) ?? 1)
        } catch {
            throw Captioner.serviceError(for: error)
        }
        do {
            let generation = try model.generate(
                rgb: image.pixels, width: image.width, height: image.height, options: options)
            return EngineCaption(rawText: generation.text, tokens: generation.tokenIDs)
        } catch let error as VitGPT2Error {
            throw ServiceError.unprocessable("caption_failed", error.message)
        }
    }

    /// A SHA-256 over the weights file, read in 16 MiB chunks: the digest of the chunks' digests, as hex.
    ///
    /// Chunked so that a 1 GB file never sits in memory at once; reading goes through the page cache and
    /// does not grow the process's resident memory.
    static func weightsChecksum(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw VitGPT2Error(.missingFile, "\(path): cannot open for reading")
        }
        defer { try? handle.close() }
        var digests: [UInt8] = []
        while let chunk = try? handle.read(upToCount: 16 << 20), !chunk.isEmpty {
            digests += SHA256.digest([UInt8](chunk))
        }
        return SHA256.hex(digests)
    }
}
