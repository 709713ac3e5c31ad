import Shared

/// The images of a model: ids, files relative to the dataset root, and captions, in model order.
public struct ImageTable: Sendable {
    /// The image ids the sampler assigned.
    public let ids: StringTable
    /// Each image's path relative to its dataset root.
    public let files: StringTable
    /// Each image's caption.
    public let captions: StringTable

    /// The sections every method of a recommender model reads.
    static let sections = ["images.id", "images.file", "images.caption"]

    /// The number of images.
    public var count: Int { ids.count }

    /// Reads the three tables and checks that they have one entry per image.
    public init(file: ModelFile) throws {
        ids = try file.strings("images.id")
        files = try file.strings("images.file")
        captions = try file.strings("images.caption")
        guard files.count == ids.count, captions.count == ids.count else {
            throw ModelFileError(.inconsistentSection, "image ids, files and captions differ in count")
        }
    }

    /// Adds the three tables to `writer`.
    static func write(_ images: [ImageCaption], into writer: inout ModelFileWriter) throws {
        try writer.addStrings("images.id", images.map(\.id))
        try writer.addStrings("images.file", images.map(\.file))
        try writer.addStrings("images.caption", images.map(\.caption))
    }
}

/// One captioned image, as a model build takes it.
public struct ImageCaption: Codable, Sendable, Equatable {
    /// The sampler's image id.
    public var id: String
    /// The image's path relative to the dataset root.
    public var file: String
    /// The caption.
    public var caption: String

    /// Creates a captioned image.
    public init(id: String, file: String, caption: String) {
        self.id = id
        self.file = file
        self.caption = caption
    }
}
