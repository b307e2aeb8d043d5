"""Body blocks of a program page: what a resident needs to know to use a program."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from cms.core.blocks import BaseStreamBlock

SIMPLE_RICH_TEXT = ["bold", "italic", "link", "ol", "ul", "document-link"]


class KeyFactBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=100)
    value = blocks.CharBlock(label=_("Value"), max_length=300)


class KeyFactsBlock(blocks.StructBlock):
    """Short facts at a glance (who, how much, until when), rendered as a description list."""

    facts = blocks.ListBlock(KeyFactBlock(), label=_("Facts"))

    class Meta:
        icon = "list-ul"
        label = _("Key facts")
        template = "components/blocks/key_facts.html"


class EligibilityBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Who can take part"), features=SIMPLE_RICH_TEXT)

    class Meta:
        icon = "user"
        label = _("Eligibility")
        template = "components/blocks/eligibility.html"


class HowToApplyBlock(blocks.StructBlock):
    steps = blocks.ListBlock(
        blocks.RichTextBlock(features=SIMPLE_RICH_TEXT), label=_("Steps"), min_num=1
    )

    class Meta:
        icon = "list-ol"
        label = _("How to apply")
        template = "components/blocks/how_to_apply.html"


class DocumentsBlock(blocks.StructBlock):
    documents = blocks.ListBlock(DocumentChooserBlock(), label=_("Documents"))

    class Meta:
        icon = "doc-full-inverse"
        label = _("Documents")
        template = "components/blocks/documents.html"


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=200)
    role = blocks.CharBlock(label=_("Role"), max_length=200, required=False)
    phone = blocks.CharBlock(label=_("Phone"), max_length=50, required=False)
    email = blocks.EmailBlock(label=_("E-mail"), required=False)

    class Meta:
        icon = "mail"
        label = _("Contact")
        template = "components/blocks/contact.html"


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Answer"), features=SIMPLE_RICH_TEXT)


class FaqBlock(blocks.StructBlock):
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "components/blocks/faq.html"


class ProgramStreamBlock(BaseStreamBlock):
    key_facts = KeyFactsBlock()
    eligibility = EligibilityBlock()
    how_to_apply = HowToApplyBlock()
    documents = DocumentsBlock()
    contact = ContactBlock()
    faq = FaqBlock()
