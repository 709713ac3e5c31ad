import Testing

@testable import Imaging

@Suite("Metadata reader: formats and fixtures")
struct MetadataReaderTests {
    @Test func detectsFormatsByMagic() throws {
        #expect(MetadataReader.detectFormat(try MetadataTestSupport.demoImage("real_exif_01.jpg")) == .jpeg)
        #expect(MetadataReader.detectFormat(try MetadataTestSupport.demoImage("ai_01_a1111_png.png")) == .png)
        #expect(MetadataReader.detectFormat(try MetadataTestSupport.demoImage("real_exif_10.webp")) == .webp)
        #expect(MetadataReader.detectFormat(Array("GIF89a......".utf8)) == nil)
        #expect(throws: MetadataError.self) { try MetadataReader.read(Array("GIF89a......".utf8)) }
    }

    @Test func readsCameraExifFromBigEndianJPEG() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.demoImage("real_exif_05.jpg"))
        #expect(metadata.exif.make == "PENTAX Corporation")
        #expect(metadata.exif.model == "PENTAX *ist DL")
        #expect(metadata.exif.dateTimeOriginal == "2013:01:28 10:02:29")
        #expect(metadata.exif.exposureTime != nil)
        #expect(metadata.exif.fNumber != nil)
    }

    @Test func readsCameraExifFromLittleEndianJPEG() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.demoImage("real_exif_01.jpg"))
        #expect(metadata.exif.make == "Canon")
        #expect(metadata.exif.model == "Canon EOS DIGITAL REBEL")
        #expect(metadata.exif.dateTimeOriginal == "2007:08:06 10:29:13")
    }

    @Test func readsExifFromWebP() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.demoImage("real_exif_10.webp"))
        #expect(metadata.format == .webp)
        #expect(metadata.exif.make == "NIKON CORPORATION")
        #expect(metadata.exif.dateTimeOriginal == "2015:07:16 15:38:54")
    }

    @Test func readsA1111ParametersChunk() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.fixture("ai_a1111_parameters.png"))
        let parameters = try #require(metadata.pngTextValue("parameters"))
        #expect(parameters.hasPrefix("a red fox sitting in a snowy forest"))
        #expect(parameters.contains("Negative prompt:"))
        #expect(metadata.pngText.first?.kind == .tEXt)
    }

    @Test func decodesUTF16UserCommentFromFixture() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.fixture("ai_a1111_usercomment.jpg"))
        let comment = try #require(metadata.exif.userComment)
        #expect(comment.contains("Steps: "))
        #expect(comment.contains("Negative prompt:"))
    }

    @Test func readsXMPFromPNGAndJPEG() throws {
        let png = try MetadataReader.read(try MetadataTestSupport.fixture("ai_xmp_trainedAlgorithmicMedia.png"))
        #expect(png.xmp.digitalSourceTypeCode == "trainedAlgorithmicMedia")
        let jpeg = try MetadataReader.read(
            try MetadataTestSupport.fixture("ai_xmp_compositeWithTrainedAlgorithmicMedia.jpg"))
        #expect(jpeg.xmp.digitalSourceTypeCode == "compositeWithTrainedAlgorithmicMedia")
        #expect(jpeg.xmpPackets.count == 1)
    }

    @Test func readsXMPOnlyCameraData() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.demoImage("real_xmponly_01.png"))
        #expect(metadata.exif.isEmpty)
        #expect(metadata.xmp.make == "PENTAX Corporation")
        #expect(metadata.xmp.model == "PENTAX K100D Super")
        #expect(metadata.xmp.exposureTime == "1/6")
        #expect(metadata.xmp.creatorTool == "f-spot version 0.5.0.3")
    }

    @Test func readsNovelAIText() throws {
        let metadata = try MetadataReader.read(try MetadataTestSupport.demoImage("ai_06_novelai.png"))
        #expect(metadata.pngTextValue("Software") == "NovelAI")
        #expect(
            metadata.descriptionCandidates == [
                DescriptionCandidate(source: "png:Description", text: "soft flowing lavender and blue gradient waves")
            ])
    }

    @Test func everyDemoImageReadsWithoutWarnings() throws {
        let names = try FileManagerListing.demoImageNames()
        #expect(names.count == 62)
        for name in names {
            let metadata = try MetadataReader.read(try MetadataTestSupport.demoImage(name))
            #expect(metadata.warnings.isEmpty, "\(name): \(metadata.warnings)")
        }
    }
}
