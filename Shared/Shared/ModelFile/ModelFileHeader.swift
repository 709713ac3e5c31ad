/// The JSON header of a model file: what is inside, how it was built, and where each section lies.
///
/// It is plain data, encoded with sorted keys so that the same model gives the same bytes.
public struct ModelFileHeader: Codable, Sendable, Equatable {
    /// The methods in the file (`tfidf`, `glove`, `minilm`, `hybrid`, ...), in build order.
    public var methods: [ModelMethodEntry]
    /// The method a search uses when it names none; one of `methods`.
    public var defaultMethod: String
    /// Build parameters shared by every method (for example the image base URL or the caption job).
    public var parameters: [String: String]
    /// When the model was built, as ISO 8601 UTC text.
    public var createdAt: String
    /// Every section, in file order.
    public var sections: [ModelSectionEntry]

    enum CodingKeys: String, CodingKey {
        case methods
        case defaultMethod = "default_method"
        case parameters
        case createdAt = "created_at"
        case sections
    }

    /// The method entry named `name`, if the file holds that method.
    public func method(named name: String) -> ModelMethodEntry? {
        methods.first { $0.name == name }
    }
}

/// One ranking method stored in a model file.
public struct ModelMethodEntry: Codable, Sendable, Equatable {
    /// The method's name as `/v1/search?method=` spells it.
    public var name: String
    /// The method's own build parameters (for example fusion weights), as text.
    public var parameters: [String: String]
    /// The names of the sections this method reads; shared sections may appear under several methods.
    public var sections: [String]

    /// Creates a method entry.
    public init(name: String, parameters: [String: String] = [:], sections: [String]) {
        self.name = name
        self.parameters = parameters
        self.sections = sections
    }
}

/// How the bytes of a section are laid out. Every layout is little-endian.
public enum ModelSectionKind: String, Codable, Sendable, Equatable, CaseIterable {
    /// `count + 1` UInt64 byte offsets into the UTF-8 text that follows them.
    case strings
    /// `rows * cols` Float32 values, row-major.
    case float32
    /// `count` UInt32 values.
    case uint32
    /// A compressed sparse row matrix: UInt64 `indptr[rows + 1]`, UInt32 `indices[count]`,
    /// Float32 `values[count]`, where `count` is the number of stored values.
    case csrFloat32 = "csr_float32"
    /// Opaque bytes whose meaning belongs to the method that reads them.
    case bytes
}

/// Where a section lies in the file, what it holds, and its checksum.
public struct ModelSectionEntry: Codable, Sendable, Equatable {
    /// A unique name such as `images.caption` or `tfidf.idf`.
    public var name: String
    /// The byte layout.
    public var kind: ModelSectionKind
    /// The absolute byte offset; always a multiple of 64.
    public var offset: UInt64
    /// The exact byte length (padding excluded).
    public var length: UInt64
    /// Number of strings, values, or stored sparse values, by kind.
    public var count: UInt64
    /// Rows of a matrix (float32, csr_float32); 0 otherwise.
    public var rows: UInt64
    /// Columns of a matrix (float32, csr_float32); 0 otherwise.
    public var cols: UInt64
    /// Lower-case hex SHA-256 of the section's `length` bytes.
    public var sha256: String
}
