"""The program index every site has (`/programs/`), in each language; created by `setup_site`.

Idempotent: an existing index is found by type under the home page and left as editors made it.
"""

from wagtail.models import Page

from programs.models import ProgramIndexPage

INDEX_CONTENT = {
    "ka": (
        "მუნიციპალური პროგრამები",
        "მერიის პროგრამები მოსახლეობისთვის: ვის ეხმარება, როგორ ჩაერთოთ და როგორ შეაფასოთ.",
    ),
    "en": (
        "Municipal programs",
        "City Hall's programs for residents: who they help, how to take part and how to evaluate them.",
    ),
}


def ensure_program_index(homes: dict[str, Page]) -> dict[str, ProgramIndexPage]:
    georgian_home = homes["ka"]
    index = georgian_home.get_children().type(ProgramIndexPage).specific().first()
    if index is None:
        title, intro = INDEX_CONTENT["ka"]
        index = ProgramIndexPage(title=title, slug="programs", intro=intro, show_in_menus=True)
        georgian_home.add_child(instance=index)
        index.save_revision().publish()
    indexes = {"ka": index}
    for code, home in homes.items():
        if code == "ka":
            continue
        translation = index.get_translation_or_none(home.locale)
        if translation is None:
            translation = index.copy_for_translation(home.locale)
            translation.title, translation.intro = INDEX_CONTENT[code]
            translation.save_revision().publish()
        indexes[code] = translation.specific
    return indexes
