import Shared

/// Builds a recommender model file from captioned images.
public struct ModelBuilder: Sendable {
    /// Reports a long step: a method's name, captions encoded so far and in all.
    public typealias Progress = (_ method: String, _ done: Int, _ total: Int) -> Void

    /// The methods and encoders available to builds.
    public let catalog: SearchMethodCatalog

    /// Creates a builder.
    public init(catalog: SearchMethodCatalog = SearchMethodCatalog()) {
        self.catalog = catalog
    }

    /// Builds `methods` (the first is the default) over `images` and returns the writer, ready to `write(to:)`.
    ///
    /// `imageBaseURL` is the base URL of the sampler that serves the images (`<base>/v1/images/<id>`);
    /// `parameters` adds build notes such as the caption job. `progress` hears from the methods that encode
    /// captions (the slow part of a large build) after every block of them.
    public func build(
        images: [ImageCaption], methods: [String], imageBaseURL: String?, parameters: [String: String] = [:],
        progress: Progress = { _, _, _ in }
    ) throws -> ModelFileWriter {
        guard !images.isEmpty else {
            throw RecommenderError(.unprocessable, "no_captions", "a model needs at least one captioned image")
        }
        guard !methods.isEmpty else {
            throw RecommenderError(.badRequest, "invalid_parameter", "name at least one method")
        }
        var seen = Set<String>()
        for image in images where !seen.insert(image.id).inserted {
            throw RecommenderError(.unprocessable, "duplicate_image", "image id \(image.id) appears twice")
        }

        var stored = parameters
        stored["image_count"] = "\(images.count)"
        if let imageBaseURL { stored["image_base_url"] = imageBaseURL }
        var writer = ModelFileWriter(parameters: stored, defaultMethod: methods[0])
        try ImageTable.write(images, into: &writer)
        try catalog.build(methods, captions: images.map(\.caption), into: &writer, progress: progress)
        return writer
    }
}
