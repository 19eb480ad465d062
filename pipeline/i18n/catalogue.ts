/**
 * Letterpress's own wording in the UN languages besides English, shipped with the tool (as
 * Sphinx and pandoc ship theirs): every letter gets "Notes", "Page 1 of 2" and the signatory
 * count line in its edition's language without translating them. A letter's PO file may still
 * translate any `label/<key>` entry, and its translation wins (see `Labels`).
 */
import type { LabelKey, PluralLabelKey } from "./wording.ts";

export interface BuiltinCatalog {
  text: Partial<Record<LabelKey, string>>;
  /** One form per gettext plural index of the language (`PLURAL_FORMS`). */
  plural: Partial<Record<PluralLabelKey, string[]>>;
}

export const BUILTIN_LABELS: Readonly<Record<string, BuiltinCatalog>> = {
  fr: {
    text: {
      "notes": "Notes",
      "back-to-reference": "Retour à l’appel de note {n}",
      "back-to-reference-again": "Retour à l’appel de note {n} (occurrence {k})",
      "note-reference": "Note {n}",
      "signatories": "Signataires",
      "organisations": "Organisations",
      "individuals": "À titre individuel",
      "affiliations-note": "Affiliations mentionnées à des fins d’identification uniquement",
      "count-and": "{organisations} et {individuals}",
      "skip-to-content": "Aller au contenu",
      "page-of": "Page {page} sur {pages}",
      "contents": "Sommaire",
      "editions": "Éditions",
      "other-languages": "Autres langues",
      "unofficial-translation": "Traduction non officielle. Seul le texte anglais fait foi.",
      "partial-translation": "Traduction partielle et non officielle : certains passages sont encore en anglais. Seul le texte anglais fait foi.",
      "all-editions": "Toutes les éditions de ce document",
      "files": "Fichiers",
      "delivery-mission": "Mission permanente auprès de l’Organisation des Nations Unies, New York",
      "delivery-to": "Destinataire",
      "delivery-mission-geneva": "Mission permanente auprès de l’Office des Nations Unies à Genève",
      "delivery-mission-vienna": "Mission permanente auprès de l’Office des Nations Unies à Vienne",
      "delivery-mission-nairobi": "Mission permanente auprès de l’Office des Nations Unies à Nairobi",
      "delivery-fallback": "Cette lettre n’est pas disponible en {language}.",
      "mail-subject": "Lettre à la Mission permanente : {title}",
      "mail-body": "Excellence,\n\nVeuillez trouver ci-joint la lettre « {title} », adressée à votre Mission permanente.\n\nVeuillez agréer l’assurance de notre haute considération.\n{author}",
      "addressee": "À l’attention de :",
    },
    plural: {
      "count-organisations": ["{n} organisation", "{n} organisations"],
      "count-individuals": ["{n} personne", "{n} personnes"],
    },
  },
  es: {
    text: {
      "notes": "Notas",
      "back-to-reference": "Volver a la llamada de nota {n}",
      "back-to-reference-again": "Volver a la llamada de nota {n} (aparición {k})",
      "note-reference": "Nota {n}",
      "signatories": "Firmantes",
      "organisations": "Organizaciones",
      "individuals": "A título individual",
      "affiliations-note": "Las afiliaciones institucionales se indican únicamente a efectos de identificación",
      "count-and": "{organisations} y {individuals}",
      "skip-to-content": "Ir al contenido",
      "page-of": "Página {page} de {pages}",
      "contents": "Índice",
      "editions": "Ediciones",
      "other-languages": "Otros idiomas",
      "unofficial-translation": "Traducción no oficial. El texto en inglés es la versión autorizada.",
      "partial-translation": "Traducción parcial y no oficial: algunos pasajes siguen en inglés. El texto en inglés es la versión autorizada.",
      "all-editions": "Todas las ediciones de este documento",
      "files": "Archivos",
      "delivery-mission": "Misión Permanente ante las Naciones Unidas, Nueva York",
      "delivery-to": "Destinatario",
      "delivery-mission-geneva": "Misión Permanente ante la Oficina de las Naciones Unidas en Ginebra",
      "delivery-mission-vienna": "Misión Permanente ante la Oficina de las Naciones Unidas en Viena",
      "delivery-mission-nairobi": "Misión Permanente ante la Oficina de las Naciones Unidas en Nairobi",
      "delivery-fallback": "Esta carta no está disponible en {language}.",
      "mail-subject": "Carta a la Misión Permanente: {title}",
      "mail-body": "Excelencia:\n\nAdjuntamos la carta «{title}», dirigida a su Misión Permanente.\n\nAtentamente,\n{author}",
      "addressee": "A la atención de:",
    },
    plural: {
      "count-organisations": ["{n} organización", "{n} organizaciones"],
      "count-individuals": ["{n} persona", "{n} personas"],
    },
  },
  ru: {
    text: {
      "notes": "Примечания",
      "back-to-reference": "Вернуться к ссылке {n}",
      "back-to-reference-again": "Вернуться к ссылке {n} (упоминание {k})",
      "note-reference": "Примечание {n}",
      "signatories": "Подписавшие",
      "organisations": "Организации",
      "individuals": "Частные лица",
      "affiliations-note": "Принадлежность к организациям указана исключительно в целях идентификации",
      "count-and": "{organisations} и {individuals}",
      "skip-to-content": "Перейти к основному содержанию",
      "page-of": "Страница {page} из {pages}",
      "contents": "Содержание",
      "editions": "Версии",
      "other-languages": "Другие языки",
      "unofficial-translation": "Неофициальный перевод. Аутентичным является текст на английском языке.",
      "partial-translation": "Неполный неофициальный перевод: некоторые фрагменты приводятся на английском языке. Аутентичным является текст на английском языке.",
      "all-editions": "Все версии этого документа",
      "files": "Файлы",
      "delivery-mission": "Постоянное представительство при Организации Объединенных Наций, Нью-Йорк",
      "delivery-to": "Адресат",
      "delivery-mission-geneva": "Постоянное представительство при Отделении Организации Объединенных Наций в Женеве",
      "delivery-mission-vienna": "Постоянное представительство при Отделении Организации Объединенных Наций в Вене",
      "delivery-mission-nairobi": "Постоянное представительство при Отделении Организации Объединенных Наций в Найроби",
      "delivery-fallback": "Это письмо недоступно на языке: {language}.",
      "mail-subject": "Письмо в Постоянное представительство: {title}",
      "mail-body": "Ваше Превосходительство!\n\nНаправляем письмо «{title}», адресованное Вашему Постоянному представительству.\n\nС уважением,\n{author}",
      "addressee": "Кому:",
    },
    plural: {
      "count-organisations": ["{n} организация", "{n} организации", "{n} организаций"],
      "count-individuals": ["{n} частное лицо", "{n} частных лица", "{n} частных лиц"],
    },
  },
  ar: {
    text: {
      "notes": "الحواشي",
      "back-to-reference": "العودة إلى الإحالة {n}",
      "back-to-reference-again": "العودة إلى الإحالة {n} (الموضع {k})",
      "note-reference": "الحاشية {n}",
      "signatories": "الموقّعون",
      "organisations": "المنظمات",
      "individuals": "الأفراد",
      "affiliations-note": "الانتماءات المؤسسية مذكورة لأغراض التعريف فقط",
      "count-and": "{organisations} و{individuals}",
      "skip-to-content": "الانتقال إلى المحتوى",
      "page-of": "الصفحة {page} من {pages}",
      "contents": "المحتويات",
      "editions": "الإصدارات",
      "other-languages": "لغات أخرى",
      "unofficial-translation": "ترجمة غير رسمية. النص الإنكليزي هو النص المعتمد.",
      "partial-translation": "ترجمة جزئية غير رسمية: بعض المقاطع لا تزال باللغة الإنكليزية. النص الإنكليزي هو النص المعتمد.",
      "all-editions": "جميع إصدارات هذه الوثيقة",
      "files": "الملفات",
      "delivery-mission": "البعثة الدائمة لدى الأمم المتحدة، نيويورك",
      "delivery-to": "إلى",
      "delivery-mission-geneva": "البعثة الدائمة لدى مكتب الأمم المتحدة في جنيف",
      "delivery-mission-vienna": "البعثة الدائمة لدى مكتب الأمم المتحدة في فيينا",
      "delivery-mission-nairobi": "البعثة الدائمة لدى مكتب الأمم المتحدة في نيروبي",
      "delivery-fallback": "هذه الرسالة غير متاحة باللغة {language}.",
      "mail-subject": "رسالة إلى البعثة الدائمة: {title}",
      "mail-body": "سعادة السفير،\n\nنرفق طيه الرسالة «{title}» الموجهة إلى بعثتكم الدائمة.\n\nوتفضلوا بقبول فائق الاحترام،\n{author}",
      "addressee": "إلى:",
    },
    plural: {
      "count-organisations": ["{n} منظمة", "{n} منظمة", "{n} منظمتان", "{n} منظمات", "{n} منظمة", "{n} منظمة"],
      "count-individuals": ["{n} فرد", "{n} فرد", "{n} فردان", "{n} أفراد", "{n} فردًا", "{n} فرد"],
    },
  },
  zh: {
    text: {
      "notes": "注释",
      "back-to-reference": "返回注{n}引用处",
      "back-to-reference-again": "返回注{n}引用处（第{k}处）",
      "note-reference": "注{n}",
      "signatories": "签署方",
      "organisations": "组织",
      "individuals": "个人",
      "affiliations-note": "所列所属机构仅供识别身份之用",
      "count-and": "{organisations}和{individuals}",
      "skip-to-content": "跳至正文",
      "page-of": "第{page}页，共{pages}页",
      "contents": "目录",
      "editions": "版本",
      "other-languages": "其他语文",
      "unofficial-translation": "非正式译文。以英文本为准。",
      "partial-translation": "部分非正式译文：部分段落仍为英文。以英文本为准。",
      "all-editions": "本文件的所有版本",
      "files": "文件",
      "delivery-mission": "常驻联合国代表团，纽约",
      "delivery-to": "收件方",
      "delivery-mission-geneva": "常驻联合国日内瓦办事处代表团",
      "delivery-mission-vienna": "常驻联合国维也纳办事处代表团",
      "delivery-mission-nairobi": "常驻联合国内罗毕办事处代表团",
      "delivery-fallback": "本信没有{language}版本。",
      "mail-subject": "致常驻代表团的信：{title}",
      "mail-body": "尊敬的阁下：\n\n谨随函附上致贵常驻代表团的信《{title}》。\n\n此致\n敬礼\n{author}",
      "addressee": "致：",
    },
    plural: {
      "count-organisations": ["{n}个组织"],
      "count-individuals": ["{n}名个人"],
    },
  },
};

/**
 * The shipped wording for a language tag: its base language's (`fr-CA` → `fr`), but no
 * Simplified Chinese for a Traditional Chinese tag.
 */
export function builtinLabels(lang: string): BuiltinCatalog | undefined {
  const [base, ...rest] = lang.toLowerCase().split("-");
  if (base === "zh" && rest.some((part) => ["hant", "tw", "hk", "mo"].includes(part))) return undefined;
  return BUILTIN_LABELS[base!];
}
