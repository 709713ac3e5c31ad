import Imaging
import Shared

/// The `embedded` engine: uses a caption that already exists for the image instead of generating one.
///
/// The sidecar text file beside the image wins, since a person wrote it on purpose for this image; then
/// the descriptions stored in the file, best first (EXIF ImageDescription, XMP dc:description, IPTC
/// caption, PNG Description and Comment). Camera placeholder descriptions ("KONICA MINOLTA DIGITAL
/// CAMERA") and blank texts are skipped.
public struct EmbeddedEngine: CaptionEngine {
    /// Reads the description candidates of an image file, best first.
    public typealias DescriptionReader = @Sendable ([UInt8]) -> [String]

    /// The engine name, `embedded`.
    public static let engineName = "embedded"

    /// The engine name, `embedded`.
    public var name: String { Self.engineName }
    /// The sources the engine reads, as its model description.
    public var modelDescription: String { "sidecar+metadata-v1" }
    /// The sidecar is the first source, so it is part of the cache key.
    public var readsSidecar: Bool { true }

    private let descriptions: DescriptionReader

    /// Creates the engine; `descriptions` defaults to the Imaging metadata reader.
    public init(descriptions: @escaping DescriptionReader = EmbeddedEngine.metadataDescriptions) {
        self.descriptions = descriptions
    }

    /// The sidecar text, or else the best usable description in the file.
    /// - Throws: `ServiceError` 422 `no_caption` when the image has neither.
    public func caption(_ input: CaptionInput) throws -> EngineCaption {
        if let sidecar = input.sidecarText, Self.isUsable(sidecar) {
            return EngineCaption(rawText: sidecar)
        }
        if let description = descriptions(input.image).first(where: Self.isUsable) {
            return EngineCaption(rawText: description)
        }
        throw ServiceError.unprocessable(
            "no_caption",
            "the image has no usable description in its metadata and no sidecar caption; "
                + "the embedded engine cannot caption it")
    }

    /// Description candidates from the file's EXIF, XMP, IPTC and PNG text metadata, best first; none when
    /// the metadata cannot be read.
    public static func metadataDescriptions(_ image: [UInt8]) -> [String] {
        guard let metadata = try? MetadataReader.read(image) else {
            return []
        }
        return metadata.descriptionCandidates.map(\.text)
    }

    /// Whether `text` reads like a caption rather than a blank or a camera's default description.
    static func isUsable(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "'" })
        guard !words.isEmpty else {
            return false
        }
        let joined = words.joined(separator: " ")
        return !joined.hasSuffix("digital camera") && !cameraPlaceholders.contains(joined)
    }

    /// Descriptions that cameras and phones write by default.
    private static let cameraPlaceholders: Set<String> = [
        "olympus digital camera", "sony dsc", "dcim", "default", "image", "untitled", "picture", "photo",
        "kodak digital still camera", "samsung", "minolta digital camera", "dsc", "camera",
    ]
}
