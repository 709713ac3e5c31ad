/// Reads a C2PA manifest store (a JUMBF superbox labelled `c2pa`) far enough to find the digital source
/// types its active manifest declares. Signatures and hashes are not checked: the result says what the
/// manifest claims, not that the claim is authentic.
enum C2PAManifestReader {
    /// The JUMBF content types of a manifest (`c2ma`) and an update manifest (`c2um`): the four letters and
    /// the common C2PA suffix.
    static let manifestContentTypes: Set<[UInt8]> = Set(
        ["c2ma", "c2um"].map {
            Array($0.utf8) + [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        })

    /// The assertion labels whose CBOR holds an `actions` array.
    static let actionsLabels: Set<String> = ["c2pa.actions", "c2pa.actions.v2"]

    /// Reads the manifest store `jumbf` found at `source` into `metadata`: sets `c2paManifestParsed` and
    /// adds the active manifest's codes to `c2paDigitalSourceTypes`, or appends a warning. A file with
    /// several stores (a second caBX chunk, another APP11 box instance) has every one read, so that one
    /// declaring a capture cannot hide another declaring AI media: the classifier lets AI win.
    static func read(_ jumbf: [UInt8], source: String, into metadata: inout ImageMetadata) {
        guard jumbf.count <= MetadataLimits.maxC2PABytes else {
            metadata.warnings.append("c2pa: \(source) holds over \(MetadataLimits.maxC2PABytes) bytes; not parsed")
            metadata.c2paUnreadableParts += 1
            return
        }
        let boxes = JUMBFReader.boxes(jumbf, warnings: &metadata.warnings)
        guard let store = boxes.first(where: { $0.isSuperbox && $0.label == "c2pa" }) else {
            metadata.warnings.append("c2pa: \(source) holds no manifest store labelled c2pa")
            metadata.c2paUnreadableParts += 1
            return
        }
        // The active manifest is the last one in the store: in a store the reader could not read to its end,
        // the last manifest read may be an earlier one, with another source type (a capture, say, where the
        // active manifest declares an AI generator).
        guard store.isComplete else {
            metadata.warnings.append(
                "c2pa: the manifest store in \(source) could not be read to its end, so its active manifest is "
                    + "unknown; its claims are not used")
            metadata.c2paUnreadableParts += 1
            return
        }
        guard let active = store.children.last else {
            metadata.warnings.append("c2pa: the manifest store in \(source) holds no manifest")
            metadata.c2paUnreadableParts += 1
            return
        }
        // A store holds nothing but manifests; when its last box is something else (a damaged box type or
        // content type), taking the last box that is a manifest could again pick an earlier one.
        guard active.isSuperbox, manifestContentTypes.contains(active.contentType) else {
            metadata.warnings.append(
                "c2pa: the last box of the manifest store in \(source) is not a manifest, so its active manifest "
                    + "is unknown; its claims are not used")
            metadata.c2paUnreadableParts += 1
            return
        }
        metadata.c2paManifestParsed = true
        let warningsBefore = metadata.warnings.count
        let codes = digitalSourceTypes(in: active, warnings: &metadata.warnings)
        // An actions assertion that could not be read may declare anything.
        if metadata.warnings.count > warningsBefore { metadata.c2paUnreadableParts += 1 }
        for code in codes
        where !metadata.c2paDigitalSourceTypes.contains(code) {
            metadata.c2paDigitalSourceTypes.append(code)
        }
    }

    /// The digital source type codes (the last path component of each URI) of every action in the
    /// manifest's actions assertions, in order and without repeats.
    // TODO: an edited image's source type can live only in its ingredients' manifests (a `c2pa.opened`
    // action without `digitalSourceType`); ingredients are not followed yet.
    static func digitalSourceTypes(in manifest: JUMBFBox, warnings: inout [String]) -> [String] {
        guard let assertions = manifest.child(labelled: "c2pa.assertions") else { return [] }
        var codes: [String] = []
        for assertion in assertions.children where assertion.isSuperbox {
            guard let label = assertion.label, actionsLabels.contains(baseLabel(label)) else { continue }
            guard let cbor = assertion.children.first(where: { $0.type == "cbor" }) else {
                warnings.append("c2pa: assertion \(label) has no cbor box")
                continue
            }
            let value: CBORValue
            do {
                value = try CBORDecoder.decode(cbor.payload)
            } catch {
                warnings.append("c2pa: assertion \(label) is not valid CBOR (\(error))")
                continue
            }
            for action in value["actions"]?.elements ?? [] {
                guard let uri = action["digitalSourceType"]?.text, let code = self.code(ofURI: uri),
                    !codes.contains(code)
                else { continue }
                codes.append(code)
            }
        }
        return codes
    }

    /// An assertion label without the `__N` suffix that tells repeated assertions apart.
    static func baseLabel(_ label: String) -> String {
        let parts = label.split(separator: "__", omittingEmptySubsequences: false)
        guard parts.count > 1, let suffix = parts.last, !suffix.isEmpty,
            suffix.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return label }
        return String(label.dropLast(suffix.count + 2))
    }

    /// The last path component of a digital source type URI, such as `trainedAlgorithmicMedia`.
    static func code(ofURI uri: String) -> String? {
        uri.split(separator: "/").last.map(String.init)?.metadataTrimmed
    }
}
