import CaptionerService
import Shared
import Testing

/// The `embedded` engine's choice between sidecar and metadata descriptions.
struct EmbeddedEngineTests {
    @Test func theSidecarWinsOverMetadata() throws {
        let image = try CaptionerFixtures.demo("ai_06_novelai.png")

        let caption = try EmbeddedEngine().caption(CaptionInput(image: image, sidecarText: "a human caption\n"))

        #expect(caption.rawText == "a human caption\n")
        #expect(caption.tokens.isEmpty)
    }

    @Test func aMetadataDescriptionIsUsedWithoutASidecar() throws {
        let caption = try EmbeddedEngine().caption(CaptionInput(image: try CaptionerFixtures.demo("ai_14_novelai.png")))

        #expect(caption.rawText == "dark magenta and red overlapping curved shapes")
    }

    @Test func blankSidecarsAndCameraPlaceholdersDoNotCount() throws {
        let engine = EmbeddedEngine(descriptions: { _ in ["   ", "OLYMPUS DIGITAL CAMERA", "SONY DSC", "a red door"] })

        let caption = try engine.caption(CaptionInput(image: [], sidecarText: " \n "))

        #expect(caption.rawText == "a red door")
    }

    @Test(arguments: ["real_exif_02.jpg", "real_noexif_01.jpg"])
    func anImageWithNeitherIsUnprocessable(name: String) throws {
        let image = try CaptionerFixtures.demo(name)

        let error = #expect(throws: ServiceError.self) { try EmbeddedEngine().caption(CaptionInput(image: image)) }

        #expect(error?.status == 422)
        #expect(error?.code == "no_caption")
    }
}
